"""18.0.1.3.0, before this module's models load.

The platform of an order (``neiqin_platform``) was free text; it is now one
of the marketplaces the order desk knows. The values written before are
mapped to their code, whatever their case or spacing, by the codes, English
names and Chinese names the platforms go by; any other value becomes
``other``, so that every order keeps a platform the new field accepts."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# The names each platform goes by, lower case, by code.
ALIASES = {
    "tmall": ("tmall", "天猫", "天貓", "tianmao"),
    "taobao": ("taobao", "淘宝", "淘寶", "tb"),
    "jd": ("jd", "jd.com", "jingdong", "京东", "京東"),
    "pdd": ("pdd", "pinduoduo", "拼多多"),
    "douyin": ("douyin", "tiktok", "抖音", "抖店"),
    "kuaishou": ("kuaishou", "快手"),
    "xiaohongshu": ("xiaohongshu", "xhs", "red", "小红书", "小紅書"),
    "wechat": ("wechat", "weixin", "wechat store", "微信", "微信小店"),
    "shop": ("shop", "own shop", "web shop", "webshop", "website", "自营", "自营商城", "官网"),
    "other": ("other", "其他"),
}


def map_platforms(cr):
    """Map every order's platform to a code (blank: none); return how many
    orders changed.

    Platform order numbers are unique per company and platform: when two
    orders come to share one (``Tmall`` and ``tmall`` with one number), the
    one already written with the code keeps it, the other's number gets its
    old platform appended, and a warning names them."""
    pairs = [(alias, code) for code, aliases in ALIASES.items() for alias in aliases]
    cr.execute(
        SQL(
            """
            WITH alias(name, code) AS (
                SELECT * FROM unnest(%(names)s::varchar[], %(codes)s::varchar[])
            ), mapped AS (
                SELECT o.id, o.company_id, o.neiqin_platform AS old,
                       o.neiqin_platform_order_no AS number,
                       CASE WHEN NULLIF(btrim(o.neiqin_platform), '') IS NULL THEN NULL
                            ELSE COALESCE((SELECT a.code FROM alias a
                                            WHERE a.name = lower(btrim(o.neiqin_platform))),
                                          'other')
                       END AS code
                  FROM sale_order o
                 WHERE o.neiqin_platform IS NOT NULL OR o.neiqin_platform_order_no IS NOT NULL
            ), ranked AS (
                SELECT m.*, row_number() OVER (
                           PARTITION BY m.company_id, COALESCE(m.code, ''), m.number
                           ORDER BY (m.old IS NOT DISTINCT FROM m.code) DESC, m.id
                       ) AS rank
                  FROM mapped m
            )
            UPDATE sale_order o
               SET neiqin_platform = r.code,
                   neiqin_platform_order_no = CASE
                       WHEN r.rank > 1 AND r.number IS NOT NULL
                       THEN r.number || ' (' || r.old || ')'
                       ELSE r.number
                   END
              FROM ranked r
             WHERE r.id = o.id AND (r.old IS DISTINCT FROM r.code OR r.rank > 1)
            RETURNING o.id, r.rank > 1 AND r.number IS NOT NULL
            """,
            names=[alias for alias, _code in pairs],
            codes=[code for _alias, code in pairs],
        )
    )
    rows = cr.fetchall()
    renumbered = [order_id for order_id, renamed in rows if renamed]
    if renumbered:
        _logger.warning(
            "Orders %s shared a platform order number once their platforms were mapped: "
            "their numbers now end with their former platform.",
            renumbered,
        )
    return len(rows)


def migrate(cr, version):
    if not version:
        return
    map_platforms(cr)
