import { registry } from "@web/core/registry";

const APP = "[data-menu-xmlid='neiqin_base.menu_neiqin_root']";

function openAppSteps() {
    if (window.innerWidth < 768) {
        // Phone: the apps live in the sidebar behind the menu toggle.
        return [
            { content: "Open the menu", trigger: ".o_main_navbar .o_menu_toggle", run: "click" },
            { content: "Show all apps", trigger: ".o_app_menu_sidebar .o_sidebar_topbar a.btn-primary", run: "click" },
            { content: "Open the Back Office app", trigger: `.o_app_menu_sidebar li.o_app${APP}`, run: "click" },
        ];
    }
    return [
        { content: "Open the apps menu", trigger: ".o_navbar_apps_menu button", run: "click" },
        { content: "Open the Back Office app", trigger: `.o_app${APP}`, run: "click" },
    ];
}

// Run at desktop width and at phone width by tests/test_tours.py. Selectors
// avoid translated labels: the tours pass in any language.
registry.category("web_tour.tours").add("neiqin_base_menu_tour", {
    url: "/odoo",
    steps: () => [
        ...openAppSteps(),
        {
            content: "The step board shows",
            trigger: ".o_action_manager .o_kanban_view, .o_action_manager .o_list_view",
        },
        {
            content: "with its search bar",
            trigger: ".o_control_panel .o_searchview, .o_control_panel .fa-search",
        },
    ],
});

registry.category("web_tour.tours").add("neiqin_base_process_tour", {
    url: "/odoo/action-neiqin_base.action_neiqin_process",
    steps: () => [
        {
            content: "Open the data-maintenance process",
            trigger: ".o_data_row td[name='code']:contains('data'), .o_kanban_record span:contains('data')",
            run: "click",
        },
        {
            content: "The form shows the process and the kind of documents it applies to",
            trigger: ".o_form_view .o_field_widget[name='model_id'] input",
        },
        {
            content: "Its steps are listed",
            trigger: ".o_field_one2many[name='step_ids'] td[name='code']:contains('reconcile')",
        },
        {
            content: "down to the last one",
            trigger: ".o_field_one2many[name='step_ids'] td[name='code']:contains('report')",
        },
    ],
});

// Pages reloaded as a user works: none brings the "page is out of date"
// warning, nor any other warning notification.
const NO_WARNING = {
    content: "No warning notification after the page loaded",
    trigger: ".o_main_navbar",
    run: async () => {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const warning = document.querySelector(".o_notification .o_notification_bar.bg-warning");
        if (warning) {
            const text = warning.closest(".o_notification").textContent.trim();
            throw new Error(`A warning was shown after a page load: ${text}`);
        }
    },
};

registry.category("web_tour.tours").add("neiqin_base_reload_tour", {
    url: "/odoo",
    steps: () => [
        NO_WARNING,
        {
            content: "Reload the page",
            trigger: ".o_main_navbar",
            run: () => window.location.reload(),
        },
        NO_WARNING,
        ...openAppSteps(),
        {
            content: "Reload the Back Office page",
            trigger: ".o_action_manager .o_kanban_view, .o_action_manager .o_list_view",
            run: () => window.location.reload(),
        },
        NO_WARNING,
    ],
});

// A data-quality rule's form, opened by whoever runs it (a clerk, a lead):
// both conditions are understood, their fields named and their records
// counted, as the administrator sees them.
registry.category("web_tour.tours").add("neiqin_base_dq_rule_form_tour", {
    steps: () => [
        {
            content: "The condition that makes a record wrong counts its records",
            trigger: ".o_form_view .o_field_widget[name='bad_record_domain'] .o_domain_show_selection_button",
        },
        {
            content: "and so does the scope",
            trigger: ".o_form_view .o_field_widget[name='scope_domain'] .o_domain_show_selection_button",
        },
        {
            // Every warning of the domain widget is an alert: an invalid
            // domain, a field path it cannot name, a value it cannot read.
            content: "Neither is invalid, nor shows a field or value it cannot read",
            trigger: ".o_form_view:not(:has(.o_field_domain [role='alert']))",
        },
    ],
});

// A rule on records the user may not read: its conditions show as text,
// with no widget calling them invalid.
registry.category("web_tour.tours").add("neiqin_base_dq_rule_form_text_tour", {
    steps: () => [
        {
            content: "The scope shows as text",
            trigger: ".o_form_view .o_field_widget[name='scope_domain']:contains('interval_number')",
        },
        {
            content: "with no domain widget saying it is invalid",
            trigger: ".o_form_view:not(:has(.o_field_domain))",
        },
    ],
});
