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
        "data/neiqin_process_data.xml",
        "data/neiqin_archive_category_data.xml",
        "views/neiqin_meeting_views.xml",
        "views/neiqin_meeting_action_views.xml",
        "views/neiqin_archive_document_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/meeting_demo.xml",
        "demo/archive_demo.xml",
    ],
    "installable": True,
}
