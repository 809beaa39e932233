# Neiqin on the official Odoo 18 image: Odoo 18.0 plus the Python packages of
# requirements.txt (the OCA add-on wheels land in the odoo.addons namespace).
FROM odoo:18

USER root
COPY requirements.txt /tmp/neiqin-requirements.txt
# The image's Python is the distribution's, so pip needs --break-system-packages.
RUN pip3 install --no-cache-dir --break-system-packages -r /tmp/neiqin-requirements.txt \
    && rm /tmp/neiqin-requirements.txt
USER odoo
