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
        "data/ir_cron_training_data.xml",
        "views/neiqin_training_course_views.xml",
        "views/neiqin_training_session_views.xml",
        "views/neiqin_training_attendance_views.xml",
        "views/neiqin_training_matrix_views.xml",
        "views/neiqin_job_review_views.xml",
        "views/neiqin_job_review_feedback_views.xml",
        "views/portal_review_templates.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/training_demo.xml",
        "demo/job_review_demo.xml",
    ],
    "installable": True,
}
