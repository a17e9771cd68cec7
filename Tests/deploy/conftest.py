"""Shared fixtures for the deployment checks (run by deploy/local/test.sh in .local/venv)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S_DIR = ROOT / "deploy" / "k8s"

SERVICES = ["identity", "attendance", "progression", "reporting", "filetransfer", "notifier", "gateway"]
HTTP_SERVICES = ["gateway", "identity", "attendance", "progression", "reporting", "filetransfer"]
DATABASE_SERVICES = ["identity", "attendance", "progression", "reporting", "filetransfer", "notifier"]
PORTS = {
    "gateway": 8080,
    "identity": 8081,
    "attendance": 8082,
    "progression": 8083,
    "reporting": 8084,
    "filetransfer": 8085,
    "notifier": 8086,
}

# The environment contract: the same names in deploy/local, docker-compose.yml and deploy/k8s.
COMMON_ENV = {"HTTP_HOST", "HTTP_PORT", "AMQP_URL", "JWKS_URL", "LOG_LEVEL", "LOG_FORMAT"}
DATABASE_ENV = {
    "DATABASE_HOST",
    "DATABASE_PORT",
    "DATABASE_NAME",
    "DATABASE_USER",
    "DATABASE_PASSWORD",
    "DATABASE_SCHEMA",
}
GATEWAY_ENV = {
    "IDENTITY_URL",
    "ATTENDANCE_URL",
    "PROGRESSION_URL",
    "REPORTING_URL",
    "FILETRANSFER_URL",
    "GATEWAY_TIMEOUT_SECONDS",
    "GATEWAY_FILES_TIMEOUT_SECONDS",
    "LOGIN_RATE_LIMIT_PER_MINUTE",
}
NOTIFIER_ENV = {"MAIL_TRANSPORT", "MAIL_DIRECTORY", "SMTP_URL", "MAIL_FROM", "PUBLIC_BASE_URL"}
ATTENDANCE_ENV = {
    "REGISTER_GRACE_MINUTES",
    "REGISTER_OVERDUE_CHECK_SECONDS",
    "ALERT_CONSECUTIVE_ABSENCES",
    "ALERT_ATTENDANCE_THRESHOLD_PERCENT",
    "ALERT_MINIMUM_SESSIONS",
}

FILETRANSFER_ENV = {
    "FILE_MASTER_KEY",
    "FILE_STORAGE_DIRECTORY",
    "FILE_MAX_UPLOAD_BYTES",
    "FILE_RETENTION_AFTER_DOWNLOAD_DAYS",
    "FILE_RETENTION_UNDOWNLOADED_DAYS",
    "FILE_EXPIRY_CHECK_SECONDS",
}


def contract_env(service: str) -> set[str]:
    names = set(COMMON_ENV)
    if service in DATABASE_SERVICES:
        names |= DATABASE_ENV
    if service == "gateway":
        names |= GATEWAY_ENV
    if service == "notifier":
        names |= NOTIFIER_ENV
    if service == "attendance":
        names |= ATTENDANCE_ENV
    if service == "filetransfer":
        names |= FILETRANSFER_ENV
    return names


def load_yaml_documents(path: Path) -> list[dict]:
    with path.open() as f:
        return [doc for doc in yaml.safe_load_all(f) if doc]


@pytest.fixture(scope="session")
def compose() -> dict:
    with (ROOT / "docker-compose.yml").open() as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="session")
def k8s_files() -> list[Path]:
    files = sorted(K8S_DIR.glob("*.yaml"))
    assert files, "no manifests in deploy/k8s"
    return files


@pytest.fixture(scope="session")
def k8s_resources(k8s_files) -> list[tuple[Path, dict]]:
    """Every Kubernetes object in deploy/k8s (the kustomization is not one)."""
    resources = []
    for path in k8s_files:
        for doc in load_yaml_documents(path):
            if doc.get("kind") == "Kustomization":
                continue
            resources.append((path, doc))
    return resources


@pytest.fixture(scope="session")
def local_env() -> dict[str, dict[str, str]]:
    """The environment deploy/local/run.sh gives each service, read from lib.sh itself."""
    script = 'source deploy/local/lib.sh; for s in "${LB_SERVICES[@]}"; do echo "@@ $s"; service_env "$s"; done'
    out = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, check=True, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}
    ).stdout
    envs: dict[str, dict[str, str]] = {}
    current = None
    for line in out.splitlines():
        if line.startswith("@@ "):
            current = line[3:]
            envs[current] = {}
        elif line:
            key, _, value = line.partition("=")
            envs[current][key] = value
    return envs


@pytest.fixture(scope="session")
def definitions() -> dict:
    with (ROOT / "deploy" / "rabbitmq" / "definitions.json").open() as f:
        return json.load(f)
