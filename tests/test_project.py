"""The project's own promises: two commands in the README, CI runs the same one."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_starts_with_the_run_and_test_commands():
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]
    assert text.index("```sh") < text.index("\n## ")


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^exec make test$", script, re.M)


def test_every_setting_in_config_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    config = (ROOT / "config.py").read_text()
    settings = set(
        re.findall(r'os\.environ\.get\("([A-Z_]+)"\)|_(?:int|bool|float)\("([A-Z_]+)"', config)
    )
    names = {a or b for a, b in settings}
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == []


def test_every_package_of_the_app_is_in_the_wheel():
    """The wheel lists its packages one by one: a new blueprint must join the list."""
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "petition").rglob("__init__.py")
    }
    assert on_disk - listed == set()
