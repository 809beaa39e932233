import { registry } from "@web/core/registry";
import { headerButton, screenshot } from "@neiqin_base/../tests/tours/tour_utils";

// Answering a ticket with a standard reply, then creating a return from it,
// at desktop and phone width (tests/test_aftersales_tours.py). Selectors
// avoid translated labels: the tour passes in any language.

registry.category("web_tour.tours").add("neiqin_aftersales_ticket_tour", {
    steps: () => [
        {
            content: "The ticket form is open",
            trigger: ".o_form_view .o_field_widget[name='partner_id']",
        },
        ...headerButton("action_neiqin_reply", "Answer with a standard reply"),
        {
            content: "The wizard opens on the reply that suits the ticket",
            trigger: ".modal .o_field_widget[name='template_id'] input",
        },
        {
            content: "The reply is shown filled for this ticket before it is sent",
            trigger: ".modal .o_field_widget[name='body'] textarea",
            run() {
                const text = this.anchor.value;
                if (!text.includes("TX12345678") || text.includes("{")) {
                    throw new Error(`The reply is not filled: ${text}`);
                }
            },
        },
        screenshot("ticket_reply"),
        {
            content: "Send it to the customer",
            trigger: ".modal button[name='action_send']",
            run: "click",
        },
        {
            content: "The wizard is closed",
            trigger: "body:not(:has(.modal)) .o_form_view",
        },
        ...headerButton("action_neiqin_create_return", "Create a return from the ticket"),
        {
            content: "The order's delivered line is proposed",
            trigger:
                ".modal .o_field_widget[name='line_ids'] .o_data_row, .modal .o_field_widget[name='line_ids'] .o_kanban_record",
        },
        screenshot("ticket_return"),
        {
            content: "Create and confirm the return",
            trigger: ".modal button[name='action_create']",
            run: "click",
        },
        {
            content: "Back on the ticket",
            trigger: "body:not(:has(.modal)) .o_form_view",
        },
    ],
});
