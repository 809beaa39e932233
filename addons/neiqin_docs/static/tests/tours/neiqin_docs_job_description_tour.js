import { registry } from "@web/core/registry";
import { screenshot } from "@neiqin_base/../tests/tours/tour_utils";

// An employee opens My Job Description, reads it and acknowledges it, at
// phone width (tests/test_docs_tours.py). Selectors avoid translated labels.

registry.category("web_tour.tours").add("neiqin_docs_job_description_tour", {
    steps: () => [
        {
            content: "The employee's job description opens read-only",
            trigger: ".o_neiqin_job_document_read .o_field_widget[name='goal']:contains(审核)",
        },
        {
            content: "Its duties are shown",
            trigger: ".o_neiqin_job_document_read .o_field_widget[name='duty_ids']:contains(订单审核)",
        },
        {
            content: "It waits for the acknowledgement",
            trigger: ".o_field_widget[name='my_acknowledgement_state'] .badge.text-bg-warning",
        },
        screenshot("job_description_read"),
        {
            content: "Acknowledge it",
            trigger: ".o_form_sheet button[name='action_acknowledge']",
            run: "click",
        },
        {
            content: "It is acknowledged",
            trigger: ".o_field_widget[name='my_acknowledgement_state'] .badge.text-bg-success",
        },
    ],
});
