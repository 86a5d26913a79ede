"""A built wheel runs on its own: migrations, templates and static files travel with it."""

import os
import shutil
import subprocess
import sys
import sysconfig
import uuid
from pathlib import Path

import pytest

from .helpers import HttpSession, ProcessGroup, free_port

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """Build the wheel, install it into a fresh venv, and return the venv's bin folder.

    The venv borrows the dependencies already installed for the test run (a
    .pth file naming their site-packages) instead of downloading them again;
    the project itself comes only from the wheel (the checkout's editable
    install is not visible there, and nothing runs from the checkout).
    """
    work = tmp_path_factory.mktemp("wheel")
    # Built from a copy of what git would commit: an in-tree build reuses build/, where a
    # file renamed or deleted since the last build would still ride along.
    source = work / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "instance", "*.egg-info", "__pycache__", "*_cache"
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
        + ["--wheel-dir", str(work / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    [wheel] = (work / "dist").glob("petition-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    site = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_path('purelib'))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    return venv / "bin"


def test_the_installed_package_is_the_wheel_not_the_checkout(installed, tmp_path):
    where = subprocess.run(
        [
            str(installed / "python"),
            "-c",
            "import petition, config, wsgi; print(petition.__file__)",
        ],
        cwd=tmp_path,
        env={**os.environ, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
        | {"PETITION_BASE_URL": "https://petition.example.org"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert str(installed.parent) in where and str(ROOT) not in where


def test_a_wheel_migrates_loads_the_demo_and_serves_pages(installed, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "SECRET_KEY": uuid.uuid4().hex,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'wheel.sqlite'}",
        "PETITION_BASE_URL": base,
        "SESSION_COOKIE_SECURE": "0",
    }
    processes = ProcessGroup(tmp_path)
    try:
        # From a folder that holds no project file: only the wheel can answer.
        processes.run(
            "db upgrade",
            [installed / "python", "-m", "flask", "--app", "wsgi", "db", "upgrade"],
            env,
            tmp_path,
        )
        processes.run(
            "demo", [installed / "python", "-m", "flask", "--app", "wsgi", "demo"], env, tmp_path
        )
        processes.start(
            "gunicorn",
            [installed / "python", "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            env,
            tmp_path,
        )
        processes.wait_for_port("gunicorn", port, timeout=30)
        http = HttpSession()
        home = http.get(f"{base}/")
        campaign = http.get(f"{base}/c/dallas-end-money-bail")
        stylesheet = http.get(f"{base}/static/css/site.css")
        # Drawn with the fonts the wheel carries (petition/sharing/fonts).
        card = http.get(f"{base}/c/dallas-end-money-bail/card.png")
    except BaseException:
        processes.stop_all()
        print(processes.report())
        raise
    processes.stop_all()

    assert home.status == 200 and "Dallas County DA" in home.text
    assert campaign.status == 200 and "Sign this demand" in campaign.text
    assert stylesheet.status == 200 and "{" in stylesheet.text
    assert card.status == 200 and card.headers["Content-Type"] == "image/png"
