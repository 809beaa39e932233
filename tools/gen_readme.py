"""Write each add-on's README.rst and static/description/index.html from its
readme/ fragments (DESCRIPTION.md, CONFIGURE.md, USAGE.md), as OCA's readme
generator does. Usage: python tools/gen_readme.py [addon ...]"""

import ast
import html
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTIONS = (("DESCRIPTION.md", None), ("CONFIGURE.md", "Configuration"), ("USAGE.md", "Usage"))


def md_to_rst(text):
    # Inline code: `x` is rst's default role; ``x`` is literal.
    return re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", text)


def md_to_html(text):
    out, in_list = [], False
    for line in text.splitlines():
        stripped = line.strip()
        item = re.match(r"^(-|\d+\.)\s+(.*)", stripped)
        body = html.escape(item.group(2) if item else stripped)
        body = re.sub(r"`([^`]+)`", r"<code>\1</code>", body)
        body = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", body)
        body = re.sub(r"\*([^*]+)\*", r"<em>\1</em>", body)
        if item:
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{body}")
        elif not stripped:
            if in_list:
                out.append("</ul>")
                in_list = False
        elif in_list:
            out.append(body)
        else:
            out.append(f"<p>{body}</p>")
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


def generate(addon):
    path = os.path.join(ROOT, "addons", addon)
    with open(os.path.join(path, "__manifest__.py"), encoding="utf-8") as fh:
        manifest = ast.literal_eval(fh.read())
    title = manifest["name"]
    rst = ["=" * len(title), title, "=" * len(title), "", manifest.get("summary", ""), ""]
    page = [
        f"<section><h2>{html.escape(title)}</h2><p>{html.escape(manifest.get('summary', ''))}</p>"
    ]
    for filename, heading in SECTIONS:
        fragment = os.path.join(path, "readme", filename)
        if not os.path.exists(fragment):
            continue
        with open(fragment, encoding="utf-8") as fh:
            text = fh.read().strip()
        if heading:
            rst += [heading, "=" * len(heading), ""]
            page.append(f"<h3>{heading}</h3>")
        rst += [md_to_rst(text), ""]
        page.append(md_to_html(text))
    rst += ["License", "=======", "", f"{manifest['license']}. Authors: {manifest['author']}.", ""]
    page.append("</section>")
    with open(os.path.join(path, "README.rst"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(rst))
    os.makedirs(os.path.join(path, "static", "description"), exist_ok=True)
    with open(
        os.path.join(path, "static", "description", "index.html"), "w", encoding="utf-8"
    ) as fh:
        fh.write("\n".join(page) + "\n")


def main(addons):
    addons = addons or sorted(
        a
        for a in os.listdir(os.path.join(ROOT, "addons"))
        if os.path.exists(os.path.join(ROOT, "addons", a, "readme"))
    )
    for addon in addons:
        generate(addon)


if __name__ == "__main__":
    main(sys.argv[1:])
