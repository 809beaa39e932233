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
        "data/ir_sequence_data.xml",
        "data/ir_cron_promotion_data.xml",
        "views/product_category_views.xml",
        "views/neiqin_promotion_views.xml",
        "wizards/neiqin_recategorize_wizard_views.xml",
        "wizards/neiqin_category_suggest_wizard_views.xml",
        "wizards/neiqin_info_review_wizard_views.xml",
        "views/product_template_lifecycle_views.xml",
    ],
    "demo": [
        "demo/product_demo.xml",
        "demo/catalog_api_demo.xml",
        "demo/promotion_demo.xml",
        "demo/product_lifecycle_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "neiqin_catalog/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
