{
    "name": "Neiqin Order Desk",
    "summary": "Order review with exceptions, payment check, dispatch rules, tracking numbers, "
    "logistics status and customer notices, every step with a deadline and an owner",
    "version": "18.0.1.2.0",
    "category": "Back Office",
    "website": "https://github.com/neiqin/neiqin",
    "author": "Neiqin",
    "license": "LGPL-3",
    "depends": [
        "neiqin_base",
        "sale_management",
        "sale_stock",
        "stock_delivery",
        "phone_validation",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/rules.xml",
        "data/mail_template_data.xml",
        "data/neiqin_gate_data.xml",
        "data/neiqin_dq_rule_data.xml",
        "data/ir_cron_data.xml",
        "wizards/neiqin_tracking_import_wizard_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/delivery_carrier_views.xml",
        "views/neiqin_dispatch_rule_views.xml",
        "views/neiqin_logistics_event_views.xml",
        "views/neiqin_order_notice_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/neiqin_orders_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "neiqin_orders/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
