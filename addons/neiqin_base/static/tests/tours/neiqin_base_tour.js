import { registry } from "@web/core/registry";

// Opens the Back Office menu, the processes and one process with its steps.
// Run at desktop width and at phone width by tests/test_tour.py.
registry.category("web_tour.tours").add("neiqin_base_process_tour", {
    url: "/odoo",
    steps: () => [
        {
            trigger: ".o_app[data-menu-xmlid='neiqin_base.menu_neiqin_root']",
            run: "click",
        },
        {
            trigger: ".o_action_manager .o_view_controller",
        },
        {
            trigger: "body",
            run() {
                // Processes live under Configuration; go there by URL-independent menu action.
            },
        },
        {
            trigger: ".o_menu_sections, .o_menu_toggle",
        },
    ],
});

registry.category("web_tour.tours").add("neiqin_base_process_form_tour", {
    url: "/odoo/action-neiqin_base.action_neiqin_process",
    steps: () => [
        {
            trigger: ".o_data_row:contains('Order Processing'), .o_kanban_record:contains('Order Processing')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='name']:contains('Order Processing'), .o_form_view input#name_0",
        },
        {
            trigger: ".o_field_one2many[name='step_ids'] .o_data_row:contains('Verify Payment')",
        },
        {
            trigger: ".o_field_one2many[name='step_ids'] .o_data_row:contains('Notify Customer')",
        },
    ],
});
