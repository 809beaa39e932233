{
    "name": "Neiqin Catalog",
    "summary": "Product information with a deadline and an owner on every step: entry, "
    "four-eyes review, publishing per sales channel through the gate, information "
    "standards and completeness, categories, promotions, monitors and the data-maintenance "
    "round",
    "version": "18.0.1.0.0",
    "category": "Back Office",
    "website": "https://github.com/neiqin/neiqin",
    "author": "Neiqin",
    "license": "LGPL-3",
    "depends": ["neiqin_base", "product", "stock", "sale"],
    "external_dependencies": {"python": ["python-stdnum", "phonenumbers"]},
    "data": [
        "security/ir.model.access.csv",
        "security/rules.xml",
        "data/neiqin_process_data.xml",
        "data/neiqin_gate_data.xml",
        "views/product_template_views.xml",
        "views/neiqin_product_listing_views.xml",
        "views/menus.xml",
        "data/neiqin_dq_rule_monitor_data.xml",
        "data/neiqin_dq_rule_maintenance_data.xml",
        "data/ir_cron_maintenance_data.xml",
        "views/neiqin_monitor_views.xml",
        "views/neiqin_reconciliation_views.xml",
        "views/neiqin_cleaning_views.xml",
    ],
    "demo": [
        "demo/product_demo.xml",
        "demo/maintenance_demo.xml",
    ],
    "installable": True,
}
