{
    "name": "Neiqin Docs",
    "summary": "Job-description documents bound to the processes, onboarding "
    "acknowledgements, training, periodic job review, meetings with action items and "
    "the operations archive",
    "version": "18.0.1.0.0",
    "category": "Back Office",
    "website": "https://github.com/neiqin/neiqin",
    "author": "Neiqin",
    "license": "LGPL-3",
    "depends": ["neiqin_base", "hr", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/rules.xml",
        "views/neiqin_job_document_views.xml",
        "views/neiqin_job_acknowledgement_views.xml",
        "views/hr_job_views.xml",
        "views/menus.xml",
        "data/job_document_data.xml",
        "wizards/neiqin_job_document_compare_wizard_views.xml",
        "report/neiqin_job_document_report.xml",
        "views/job_document_portal_templates.xml",
        "views/job_document_menus.xml",
    ],
    "demo": [
        "demo/job_document_demo.xml",
    ],
    "assets": {"web.assets_tests": ["neiqin_docs/static/tests/tours/*.js"]},
    "installable": True,
}
