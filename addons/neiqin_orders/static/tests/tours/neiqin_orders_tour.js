import { registry } from "@web/core/registry";

// The order board at desktop and phone width (tests/test_tours.py). Selectors
// avoid translated labels: the tour passes in any language.
registry.category("web_tour.tours").add("neiqin_orders_board_tour", {
    url: "/odoo/action-neiqin_orders.action_neiqin_order_board",
    steps: () => [
        {
            content: "The board groups orders by process step",
            trigger: ".o_kanban_view .o_kanban_group",
        },
        {
            content: "Open an order card",
            trigger: ".o_kanban_record:has(.o_field_widget[name='neiqin_review_state'])",
            run: "click",
        },
        {
            content: "The order form shows its review status",
            trigger: ".o_form_view .o_field_widget[name='partner_id']",
        },
    ],
});
