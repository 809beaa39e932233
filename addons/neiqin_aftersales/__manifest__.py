{
    "name": "Neiqin After-sales",
    "summary": "Customer service on helpdesk tickets, each step with a deadline and an owner: "
    "standard replies, complaints, returns, exchanges and refunds, satisfaction, customer "
    "profile and feedback",
    "version": "18.0.1.0.0",
    "category": "Back Office",
    "website": "https://github.com/neiqin/neiqin",
    "author": "Neiqin",
    "license": "LGPL-3",
    "depends": [
        "neiqin_orders",
        "helpdesk_mgmt",
        "helpdesk_mgmt_sale",
        "helpdesk_mgmt_rating",
        "rma_sale",
        "hr",
    ],
    "data": [
        "security/groups.xml",
        "security/ir.model.access.csv",
        "security/rules.xml",
        "data/neiqin_process_data.xml",
        "data/neiqin_gate_data.xml",
        "views/helpdesk_ticket_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/neiqin_aftersales_api_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "neiqin_aftersales/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
