import base64
import io
from functools import cache
from itertools import count

from PIL import Image

from odoo import Command

from odoo.addons.neiqin_base.tests.common import NeiqinCase

_serial = count(1)


def ean13(serial=None):
    """A valid EAN-13 (GS1 prefix 200-299, for a shop's own use) from a
    serial number: its check digit computed as stdnum does."""
    serial = next(_serial) if serial is None else serial
    body = f"2{serial:011d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


class CatalogCase(NeiqinCase):
    """The back office's roles (neiqin_base), then the product desk's: the
    clerks and the lead in the product-information team, two channels and
    helpers for a product and its listing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.info_team = cls.env.ref("neiqin_catalog.team_product_info")
        cls.info_team.member_ids = [
            Command.link(cls.clerk.id),
            Command.link(cls.clerk2.id),
            Command.link(cls.lead.id),
        ]
        cls.info_team.lead_user_id = cls.lead
        cls.info_process = cls.env.ref("neiqin_catalog.process_product_info")
        cls.tmall = cls.env.ref("neiqin_base.platform_tmall")
        cls.jd = cls.env.ref("neiqin_base.platform_jd")
        cls.category = cls.env["product.category"].create({"name": "Apparel"})

    @classmethod
    def _product(cls, user=None, **vals):
        """A storable product for sale whose information meets the standards,
        made by ``user`` (default: the clerk)."""
        values = {
            "name": "Cotton hoodie",
            "default_code": f"HOODIE-{next(_serial)}",
            "is_storable": True,
            "sale_ok": True,
            "categ_id": cls.category.id,
            "list_price": 199.0,
            "standard_price": 86.0,
            "weight": 0.55,
            "volume": 0.01,
            "barcode": ean13(),
            "image_1920": product_image(),
            "description_sale": "Long-staple cotton, heavy loop-back fabric, loose fit, "
            "sizes S to XL, machine washable.",
            **vals,
        }
        return cls.env["product.template"].with_user(user or cls.clerk).create(values)

    @classmethod
    def _listing(cls, product, platform=None, user=None, **vals):
        platform = platform or cls.tmall
        return (
            cls.env["neiqin.product.listing"]
            .with_user(user or cls.clerk)
            .create(
                {
                    "product_tmpl_id": product.id,
                    "platform_id": platform.id,
                    "channel_sku": f"{platform.code}-{product.default_code or product.id}",
                    **vals,
                }
            )
        )


@cache
def product_image(width=800, height=800):
    """A plain PNG image of ``width`` × ``height`` pixels, base64-encoded, as
    an image field takes it."""
    output = io.BytesIO()
    Image.new("RGB", (width, height), (70, 110, 160)).save(output, format="PNG")
    return base64.b64encode(output.getvalue())
