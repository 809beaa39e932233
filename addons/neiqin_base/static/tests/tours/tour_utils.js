// Steps the back-office tours share, at desktop and phone width.

export const PHONE = () => window.innerWidth < 768;

// A button of a form's header: in the status bar at desktop width, in the
// gear menu on a phone (Odoo folds the header into it there).
export function headerButton(name, content) {
    const steps = [];
    if (PHONE()) {
        steps.push({
            content: "Open the gear menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        });
    }
    steps.push({
        content,
        trigger: PHONE()
            ? `.o-dropdown--menu button[name='${name}']`
            : `.o_form_statusbar button[name='${name}']`,
        run: "click",
    });
    return steps;
}

// Where the test asks for it, the browser keeps what it shows for the README
// (tests/tour_browser.py); the pause lets the capture finish first.
export function screenshot(name) {
    return {
        content: `Screenshot: ${name}`,
        trigger: "body:not(:has(.o_loading_indicator))",
        run: async () => {
            console.log(`neiqin:screenshot ${name}`);
            await new Promise((resolve) => setTimeout(resolve, 600));
        },
    };
}
