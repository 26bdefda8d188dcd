"""Registers connectors on a Kafka Connect worker from Sluice's connector templates, then waits until each one and
all of its tasks run.

The templates (connect-admin/src/main/resources/dev/sluice/connect/templates/*.json) write parameters as {{name}};
Connect's own ${provider:path:key} references pass through untouched and are resolved by the worker, so
credentials never appear in a connector's stored configuration. Rendering follows ConnectorTemplate.render: a
parameter without default is required, an unknown parameter is an error, and a setting whose whole value is an
optional parameter left empty is omitted.

Registration is an idempotent PUT /connectors/<name>/config: running this again updates the configurations and
keeps the connectors' offsets. Exit status: 0 when everything runs, 1 otherwise (with the failing status printed).
Only the Python standard library is used, so any python3 image runs it.
"""

import argparse
import json
import pathlib
import re
import sys
import time
import urllib.error
import urllib.request

PLACEHOLDER = re.compile(r"\{\{([A-Za-z0-9_.\-]+)}}")


def load_templates(directory):
    templates = {}
    for path in sorted(pathlib.Path(directory).glob("*.json")):
        template = json.loads(path.read_text(encoding="utf-8"))
        templates[template["template"]] = template
    if not templates:
        raise SystemExit(f"connect-init: no templates in {directory}")
    return templates


def render(template, values):
    parameters = template["parameters"]
    problems = [f"unknown parameter '{key}'" for key in sorted(values) if key not in parameters]
    resolved = {}
    for key, parameter in parameters.items():
        given = values.get(key)
        value = parameter.get("default") if given is None else str(given).strip()
        if "default" not in parameter and not value:
            problems.append(f"missing required parameter '{key}': {parameter.get('doc', '')}")
        else:
            resolved[key] = value
    if problems:
        raise ValueError(f"template {template['template']}: " + "; ".join(problems))
    rendered = {}
    for key, value in template["config"].items():
        whole = PLACEHOLDER.fullmatch(value)
        if whole and resolved[whole.group(1)] == "":
            continue
        rendered[key] = PLACEHOLDER.sub(lambda match: resolved[match.group(1)], value)
    return rendered


def request(method, url, body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json",
                                                                          "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def running(status):
    if not isinstance(status, dict):
        return False
    tasks = status.get("tasks", [])
    return (status.get("connector", {}).get("state") == "RUNNING" and len(tasks) > 0
            and all(task.get("state") == "RUNNING" for task in tasks))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connect-url", required=True, help="Connect REST API, e.g. http://connect:8083")
    parser.add_argument("--templates", required=True, help="directory of the connector templates")
    parser.add_argument("--connectors", required=True,
                        help='JSON file: {"connectors": {"<name>": {"template": "...", "parameters": {...}}}}')
    parser.add_argument("--timeout", type=float, default=180, help="seconds to wait until everything runs")
    args = parser.parse_args()

    templates = load_templates(args.templates)
    wanted = json.loads(pathlib.Path(args.connectors).read_text(encoding="utf-8"))["connectors"]
    configs = {}
    for name, spec in wanted.items():
        template = templates.get(spec["template"])
        if template is None:
            raise SystemExit(f"connect-init: connector {name}: no template '{spec['template']}'; "
                             f"known: {sorted(templates)}")
        try:
            configs[name] = render(template, spec.get("parameters", {}))
        except ValueError as error:
            raise SystemExit(f"connect-init: connector {name}: {error}")

    base = args.connect_url.rstrip("/")
    for name, config in configs.items():
        code, answer = request("PUT", f"{base}/connectors/{name}/config", config)
        if code not in (200, 201):
            # Connect's answer names the invalid setting; it never echoes provider-resolved secrets.
            raise SystemExit(f"connect-init: connector {name} rejected ({code}): {answer}")
        print(f"connect-init: {name} registered from template {wanted[name]['template']}", flush=True)

    deadline = time.monotonic() + args.timeout
    pending = dict.fromkeys(configs)
    statuses = {}
    while pending and time.monotonic() < deadline:
        for name in list(pending):
            code, statuses[name] = request("GET", f"{base}/connectors/{name}/status")
            if code == 200 and running(statuses[name]):
                print(f"connect-init: {name} RUNNING", flush=True)
                del pending[name]
        if pending:
            time.sleep(2)
    if pending:
        for name in pending:
            print(f"connect-init: {name} not running after {args.timeout:.0f} s: "
                  f"{json.dumps(statuses.get(name))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
