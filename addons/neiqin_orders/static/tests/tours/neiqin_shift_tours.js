import { registry } from "@web/core/registry";
import { PHONE, headerButton, screenshot } from "@neiqin_base/../tests/tours/tour_utils";

// A shift at the order desk, run by tests/test_shift_tours.py as the demo
// clerk and lead, in Chinese, at desktop and at phone width. Selectors name
// fields, buttons and the platform order numbers the test made, never a
// translated label: the tours pass in any language.

// The review's buttons: in the header at desktop width, at the top of the
// sheet on a phone (Odoo folds the header into the gear menu there).
function reviewButton(name) {
    return `.o_form_view button[name='${name}']:visible`;
}

function openOrderRow(number) {
    return {
        content: `Open order ${number} from the review list`,
        trigger: `.o_data_row td[name='neiqin_platform_order_no']:contains('${number}'), .o_kanban_record:contains('${number}')`,
        run: "click",
    };
}

registry.category("web_tour.tours").add("neiqin_shift_review_tour", {
    steps: () => [
        {
            content: "The review list shows the order stopped by its address, with its exception tag",
            trigger: ".o_data_row:contains('SHIFT-ADDR') .o_field_many2many_tags .o_tag, .o_kanban_record:contains('SHIFT-ADDR') .o_tag",
        },
        screenshot("review_list"),
        openOrderRow("SHIFT-ADDR"),
        {
            content: "Why the order is stopped is at the top of the form",
            trigger: ".o_form_view .o_neiqin_exception_alert:contains('SHIFT-ADDR'), .o_form_view .o_neiqin_exception_alert li",
        },
        screenshot("order_exception"),
        // At desktop width the customer's link shows on the focused field.
        ...(PHONE()
            ? []
            : [
                  {
                      content: "Focus the customer",
                      trigger: ".o_form_view .o_field_widget[name='partner_id'] input",
                      run: "click",
                  },
              ]),
        {
            content: "Open the customer to fix the address",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] .o_external_button",
            run: "click",
        },
        {
            content: "Type the missing street",
            trigger: ".o_form_view .o_field_widget[name='street'] input",
            run: "edit 88 Wensan Road",
        },
        {
            content: "Save the customer",
            trigger: ".o_form_button_save:visible",
            run: "click",
        },
        {
            // A dialog at desktop width closes on saving; on a phone the
            // customer opened as a page: go back to the order.
            content: "Back on the order",
            trigger: "body:not(:has(.modal)) .o_neiqin_exception_alert, body:not(:has(.modal)) .o_back_button",
            run() {
                if (this.anchor.matches(".o_back_button")) {
                    this.anchor.click();
                }
            },
        },
        {
            content: "Check the review rules again",
            trigger: reviewButton("action_neiqin_review"),
            run: "click",
        },
        {
            content: "The order is no longer stopped: it waits for approval",
            trigger: ".o_form_view:not(:has(.o_neiqin_exception_alert)) button[name='action_neiqin_approve']:visible",
        },
        screenshot("order_rechecked"),
        {
            content: "Approve it",
            trigger: reviewButton("action_neiqin_approve"),
            run: "click",
        },
        {
            content: "Approved: nothing is left to review on it",
            trigger: ".o_form_view:not(:has(button[name='action_neiqin_approve'])):not(:has(.o_neiqin_exception_alert))",
        },
    ],
});

registry.category("web_tour.tours").add("neiqin_shift_bulk_approve_tour", {
    steps: () => [
        {
            content: "Select the first clean order",
            trigger: ".o_data_row:contains('SHIFT-OK-1') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "and the second",
            trigger: ".o_data_row:contains('SHIFT-OK-2') .o_list_record_selector input",
            run: "click",
        },
        screenshot("bulk_approve"),
        {
            content: "Approve the selection",
            trigger: "button[name='action_neiqin_approve_selected']",
            run: "click",
        },
        {
            content: "Both leave the list of orders to review",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('SHIFT-OK-1'))):not(:has(.o_data_row:contains('SHIFT-OK-2')))",
        },
    ],
});

registry.category("web_tour.tours").add("neiqin_shift_override_tour", {
    steps: () => [
        {
            content: "The order is stopped: the product is out of stock",
            trigger: ".o_form_view .o_neiqin_exception_alert",
        },
        {
            content: "The lead overrides the exception",
            trigger: reviewButton("action_neiqin_override"),
            run: "click",
        },
        {
            content: "with a reason",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit 仓库确认明天到货，客户同意等待",
        },
        screenshot("override_reason"),
        {
            content: "Override",
            trigger: ".modal button[name='action_override']",
            run: "click",
        },
        {
            content: "The order goes on, the reason kept in its history",
            trigger: ".o_form_view:not(:has(.o_neiqin_exception_alert)) .o-mail-Message:contains('仓库确认明天到货')",
        },
    ],
});

registry.category("web_tour.tours").add("neiqin_shift_responsibility_tour", {
    steps: () => [
        ...headerButton("action_neiqin_record_responsibility", "Record a responsibility from the order"),
        {
            content: "The record names the order's step and its team",
            trigger: ".o_form_view .o_field_widget[name='owner_team_id'] input",
            run() {
                if (!this.anchor.value) {
                    throw new Error("The responsibility record has no team.");
                }
            },
        },
        {
            content: "Write the cause",
            trigger: ".o_form_view .o_field_widget[name='cause'] textarea",
            run: "edit 地址未核对就提交了审核",
        },
        screenshot("responsibility"),
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved, .o_form_view:not(:has(.o_form_button_save:visible))",
        },
    ],
});

registry.category("web_tour.tours").add("neiqin_shift_confirm_responsibility_tour", {
    steps: () => [
        ...headerButton("action_confirm", "The lead confirms the clerk's record"),
        {
            content: "Confirmed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='confirmed']",
        },
    ],
});

registry.category("web_tour.tours").add("neiqin_shift_dispatch_tour", {
    steps: () => [
        {
            content: "Open the shipping information",
            trigger: ".o_form_view .o_notebook .nav-link[name='extra']",
            run: "click",
        },
        {
            content: "Type the parcel's tracking number",
            trigger: ".o_form_view .o_field_widget[name='carrier_tracking_ref'] input",
            run: "edit TX20261203",
        },
        screenshot("dispatch"),
        ...headerButton("button_validate", "Validate the delivery"),
        {
            content: "Shipped",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='done']",
        },
    ],
});
