import { registry } from "@web/core/registry";
import { headerButton, screenshot } from "@neiqin_base/../tests/tours/tour_utils";

// A clerk reviews a product another clerk edited: sees what changed since its
// last approval, approves it, and publishes it on a channel, at desktop and
// phone width (tests/test_catalog_tours.py). Selectors avoid translated
// labels: the tour passes in any language.

registry.category("web_tour.tours").add("neiqin_catalog_review_tour", {
    steps: () => [
        {
            content: "The product form is open",
            trigger: ".o_form_view .o_field_widget[name='name']",
        },
        {
            content: "Open the review tab",
            trigger: ".o_notebook .nav-link[name='neiqin_info']",
            run: "click",
        },
        {
            content: "What changed since the last approval is shown",
            trigger: ".o_field_widget[name='neiqin_info_changes']",
            run() {
                const text = this.anchor.textContent;
                if (!text.includes("Tour hoodie, new cut") || !text.includes("Tour hoodie")) {
                    throw new Error(`The change is not shown: ${text}`);
                }
            },
        },
        screenshot("product_review_changes"),
        ...headerButton("action_neiqin_info_approve", "Approve the information"),
        {
            content: "Approved: nothing differs from the approved information any more",
            trigger:
                ".o_form_view:not(:has(.o_field_widget[name='neiqin_info_changes'])) .o_field_widget[name='neiqin_info_reviewer_id']",
        },
        {
            content: "Open the channels tab",
            trigger: ".o_notebook .nav-link[name='neiqin_channels']",
            run: "click",
        },
        {
            content: "Publish the product on its channel",
            trigger:
                ".o_field_widget[name='neiqin_listing_ids'] .o_data_row button[name='action_neiqin_publish']",
            run: "click",
        },
        {
            content: "The product is published: its ribbon says so",
            trigger: ".o_form_view .ribbon .text-bg-success",
        },
        screenshot("product_published"),
    ],
});
