# Neiqin on the official Odoo 18 image: Odoo 18.0 plus the Python packages of
# requirements.txt (the OCA add-on wheels land in the odoo.addons namespace).
FROM odoo:18

USER root
COPY requirements.txt /tmp/neiqin-requirements.txt
# The image's Odoo comes from a Debian package, which pip may not count as the
# `odoo` distribution the OCA wheels require: install them without resolving
# that requirement (requirements.txt lists every OCA add-on they need), then
# the other packages normally. The image's Python is the distribution's, so
# pip needs --break-system-packages.
RUN grep -E '^odoo-addon-' /tmp/neiqin-requirements.txt > /tmp/oca.txt \
    && grep -vE '^odoo-addon-' /tmp/neiqin-requirements.txt > /tmp/other.txt \
    && pip3 install --no-cache-dir --break-system-packages --no-deps -r /tmp/oca.txt \
    && pip3 install --no-cache-dir --break-system-packages -r /tmp/other.txt \
    && rm /tmp/neiqin-requirements.txt /tmp/oca.txt /tmp/other.txt
USER odoo
