"""Checks of everything that deploys Learnbridge: docker-compose.yml, deploy/k8s, the local
scripts' environment, and the RabbitMQ definitions. All offline."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest

from conftest import (
    DATABASE_SERVICES,
    HTTP_SERVICES,
    K8S_DIR,
    PORTS,
    ROOT,
    SERVICES,
    contract_env,
    load_yaml_documents,
)

KUBERNETES_VERSION = "1.29.0"

# ---------------------------------------------------------------------------------------------
# docker-compose.yml


def test_compose_file_matches_the_compose_specification(tmp_path):
    check_jsonschema = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(check_jsonschema), "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_validation_rejects_a_broken_file(tmp_path):
    # Proves the validator really checks: an unknown service key must fail.
    broken = tmp_path / "compose.yml"
    broken.write_text("services:\n  web:\n    image: nginx\n    not_a_compose_key: 1\n")
    check_jsonschema = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(check_jsonschema), "--builtin-schema", "vendor.compose-spec", str(broken)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0


def test_compose_has_infrastructure_and_all_services(compose):
    services = compose["services"]
    assert set(services) == set(SERVICES) | {"postgres", "rabbitmq", "mailpit"}
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["rabbitmq"]["image"] == "rabbitmq:3.13-management"
    for name in SERVICES:
        service = services[name]
        assert service["build"]["dockerfile"] == "deploy/docker/Dockerfile", name
        assert (ROOT / service["build"]["context"] / service["build"]["dockerfile"]).is_file()
        assert "healthcheck" in service, name
        assert f"http://127.0.0.1:{PORTS[name]}/health/ready" in service["healthcheck"]["test"], name


def test_compose_publishes_only_the_gateway_and_loopback_uis(compose):
    published = {name: s.get("ports", []) for name, s in compose["services"].items() if s.get("ports")}
    assert published["gateway"] == ["8080:8080"]
    for name, ports in published.items():
        if name != "gateway":
            assert all(str(p).startswith("127.0.0.1:") for p in ports), (name, ports)
    assert set(published) <= {"gateway", "rabbitmq", "mailpit"}


def test_compose_services_wait_for_healthy_infrastructure(compose):
    services = compose["services"]
    for name in DATABASE_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["rabbitmq"]["condition"] == "service_healthy", name
    gateway_depends = services["gateway"]["depends_on"]
    for name in HTTP_SERVICES:
        if name != "gateway":
            assert gateway_depends[name]["condition"] == "service_healthy"


def test_compose_mounts_the_database_and_broker_definitions(compose):
    postgres_volumes = compose["services"]["postgres"]["volumes"]
    assert "./deploy/postgres:/opt/learnbridge/postgres:ro" in postgres_volumes
    init = [v for v in postgres_volumes if "/docker-entrypoint-initdb.d/" in v]
    assert len(init) == 1 and (ROOT / init[0].split(":")[0]).is_file()
    rabbit_volumes = compose["services"]["rabbitmq"]["volumes"]
    assert "./deploy/rabbitmq/definitions.json:/etc/rabbitmq/definitions.json:ro" in rabbit_volumes
    assert "./deploy/rabbitmq/rabbitmq.conf:/etc/rabbitmq/rabbitmq.conf:ro" in rabbit_volumes
    conf = (ROOT / "deploy/rabbitmq/rabbitmq.conf").read_text()
    assert "load_definitions = /etc/rabbitmq/definitions.json" in conf
    assert "default_queue_type = quorum" in conf


def test_compose_service_values(compose):
    services = compose["services"]
    for name in SERVICES:
        env = services[name]["environment"]
        assert env["HTTP_HOST"] == "0.0.0.0"
        assert env["HTTP_PORT"] == str(PORTS[name])
        assert env["LOG_FORMAT"] == "json"
        assert env["AMQP_URL"].startswith("amqp://") and env["AMQP_URL"].endswith("@rabbitmq:5672/learnbridge")
        if name in DATABASE_SERVICES:
            assert env["DATABASE_HOST"] == "postgres"
            assert env["DATABASE_USER"] == env["DATABASE_SCHEMA"] == name
    gateway = services["gateway"]["environment"]
    for name in HTTP_SERVICES:
        if name != "gateway":
            assert gateway[f"{name.upper()}_URL"] == f"http://{name}:{PORTS[name]}"
    assert services["notifier"]["environment"]["MAIL_TRANSPORT"] == "smtp"
    assert services["notifier"]["environment"]["SMTP_URL"] == "smtp://mailpit:1025"


# ---------------------------------------------------------------------------------------------
# Environment variable contract


@pytest.mark.parametrize("service", SERVICES)
def test_local_scripts_use_the_contract_env(local_env, service):
    assert set(local_env[service]) == contract_env(service)
    env = local_env[service]
    assert env["HTTP_HOST"] == "127.0.0.1"
    assert env["HTTP_PORT"] == str(PORTS[service])
    assert env["LOG_FORMAT"] == "text"
    assert env["AMQP_URL"] == "amqp://learnbridge:learnbridge@127.0.0.1:5672/learnbridge"
    assert env["JWKS_URL"] == "http://127.0.0.1:8081/.well-known/jwks.json"
    if service in DATABASE_SERVICES:
        assert env["DATABASE_USER"] == env["DATABASE_PASSWORD"] == env["DATABASE_SCHEMA"] == service
        assert (env["DATABASE_HOST"], env["DATABASE_PORT"], env["DATABASE_NAME"]) == ("127.0.0.1", "5432", "learnbridge")


@pytest.mark.parametrize("service", SERVICES)
def test_compose_uses_the_contract_env(compose, service):
    assert set(compose["services"][service]["environment"]) == contract_env(service)


@pytest.mark.parametrize("service", SERVICES)
def test_k8s_uses_the_contract_env(k8s_resources, service):
    deployment = _one(k8s_resources, "Deployment", service)
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert "envFrom" not in container, "envFrom would give a service variables outside its contract"
    names = [e["name"] for e in container["env"]]
    assert len(names) == len(set(names)), f"duplicate env names in {service}"
    assert set(names) == contract_env(service)


def test_local_test_environment():
    script = "source deploy/local/lib.sh; test_env"
    out = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, check=True, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}
    ).stdout
    env = dict(line.split("=", 1) for line in out.splitlines() if line)
    assert env == {
        "TEST_DATABASE_HOST": "127.0.0.1",
        "TEST_DATABASE_PORT": "5432",
        "TEST_DATABASE_NAME": "learnbridge_test",
        "TEST_DATABASE_USER": "learnbridge_test",
        "TEST_DATABASE_PASSWORD": "learnbridge_test",
        "TEST_AMQP_URL": "amqp://learnbridge:learnbridge@127.0.0.1:5672/learnbridge_test",
        "LEARNBRIDGE_BROKER_CONTROL": str(ROOT / "deploy/local/broker-control.sh"),
        "TEST_PYTHON": str(ROOT / ".local/venv/bin/python"),
    }
    assert (ROOT / "deploy/local/broker-control.sh").stat().st_mode & 0o111


# ---------------------------------------------------------------------------------------------
# Kubernetes


# Custom resources: kubernetes-validate has no schema for them, so they are checked here
# against the fields Learnbridge relies on. Any other kind without a schema fails.
CRD_SCHEMAS = {
    ("keda.sh/v1alpha1", "ScaledObject"): {
        "type": "object",
        "required": ["metadata", "spec"],
        "properties": {
            "spec": {
                "type": "object",
                "required": ["scaleTargetRef", "triggers"],
                "properties": {
                    "scaleTargetRef": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {"name": {"type": "string"}, "kind": {"const": "Deployment"}},
                    },
                    "minReplicaCount": {"type": "integer", "minimum": 0},
                    "maxReplicaCount": {"type": "integer", "minimum": 1},
                    "pollingInterval": {"type": "integer"},
                    "cooldownPeriod": {"type": "integer"},
                    "triggers": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["type", "metadata"],
                            "properties": {
                                "type": {"type": "string"},
                                "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
                                "authenticationRef": {"type": "object", "required": ["name"]},
                            },
                        },
                    },
                },
                "additionalProperties": False,
            }
        },
    },
    ("keda.sh/v1alpha1", "TriggerAuthentication"): {
        "type": "object",
        "required": ["metadata", "spec"],
        "properties": {
            "spec": {
                "type": "object",
                "properties": {
                    "secretTargetRef": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["parameter", "name", "key"],
                            "additionalProperties": False,
                            "properties": {
                                "parameter": {"type": "string"},
                                "name": {"type": "string"},
                                "key": {"type": "string"},
                            },
                        },
                    }
                },
            }
        },
    },
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"): {
        "type": "object",
        "required": ["metadata", "spec"],
        "properties": {
            "spec": {
                "type": "object",
                "required": ["replicas"],
                "properties": {
                    "replicas": {"type": "integer", "enum": [1, 3, 5, 7]},
                    "image": {"type": "string"},
                    "rabbitmq": {
                        "type": "object",
                        "properties": {
                            "additionalConfig": {"type": "string"},
                            "additionalPlugins": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                },
            }
        },
    },
}


def test_every_manifest_is_valid_for_kubernetes(k8s_resources):
    checked_core = checked_crd = 0
    for path, resource in k8s_resources:
        key = (resource["apiVersion"], resource["kind"])
        label = f"{path.name}: {resource['kind']}/{resource['metadata']['name']}"
        if key in CRD_SCHEMAS:
            # Make sure it really is outside the built-in schemas, then check our own way.
            with pytest.raises(kubernetes_validate.SchemaNotFoundError):
                kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
            jsonschema.validate(resource, CRD_SCHEMAS[key])
            checked_crd += 1
            continue
        try:
            kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.SchemaNotFoundError as e:  # pragma: no cover - failure path
            pytest.fail(f"{label}: no schema and not a known custom resource ({e.message})")
        except kubernetes_validate.ValidationError as e:  # pragma: no cover - failure path
            pytest.fail(f"{label}: {'.'.join(map(str, e.path))}: {e.message}")
        checked_core += 1
    assert checked_core >= 7 * 2 + 6 * 2 + 3  # deployments, services, HPAs, PDBs, ns/config/ingress
    assert checked_crd == 3


def test_kubernetes_validation_rejects_a_broken_deployment(k8s_resources):
    deployment = copy.deepcopy(_one(k8s_resources, "Deployment", "identity"))
    deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "http"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)
    deployment = copy.deepcopy(_one(k8s_resources, "Deployment", "identity"))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_kustomization_lists_every_manifest_but_the_secret_template(k8s_files):
    (kustomization,) = load_yaml_documents(K8S_DIR / "kustomization.yaml")
    assert kustomization["kind"] == "Kustomization"
    listed = kustomization["resources"]
    assert len(listed) == len(set(listed))
    expected = {p.name for p in k8s_files} - {"kustomization.yaml", "secret.yaml"}
    assert set(listed) == expected
    assert kustomization["namespace"] == "learnbridge"


def test_all_objects_are_in_the_learnbridge_namespace(k8s_resources):
    for path, resource in k8s_resources:
        if resource["kind"] == "Namespace":
            assert resource["metadata"]["name"] == "learnbridge"
        else:
            assert resource["metadata"].get("namespace") == "learnbridge", path.name


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_deployment_and_service(k8s_resources, service):
    deployment = _one(k8s_resources, "Deployment", service)
    svc = _one(k8s_resources, "Service", service)
    port = PORTS[service]
    pod = deployment["spec"]["template"]
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert all(pod["metadata"]["labels"].get(k) == v for k, v in selector.items())
    assert svc["spec"]["selector"] == selector
    (container,) = pod["spec"]["containers"]
    assert container["args"] == [service]
    assert container["ports"][0]["containerPort"] == port
    assert svc["spec"]["ports"][0]["port"] == port
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert {"cpu", "memory"} <= set(container["resources"]["limits"])
    annotations = pod["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/path"] == "/metrics"
    assert annotations["prometheus.io/port"] == str(port)
    assert pod["spec"]["terminationGracePeriodSeconds"] >= 30
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    env = {e["name"]: e for e in container["env"]}
    assert env["HTTP_PORT"]["value"] == str(port)
    if service in DATABASE_SERVICES:
        assert env["DATABASE_USER"]["value"] == env["DATABASE_SCHEMA"]["value"] == service
        assert env["DATABASE_PASSWORD"]["valueFrom"]["secretKeyRef"]["key"] == f"{service}-database-password"


@pytest.mark.parametrize("service", HTTP_SERVICES)
def test_http_services_have_a_cpu_autoscaler(k8s_resources, service):
    hpa = _one(k8s_resources, "HorizontalPodAutoscaler", service)
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": service}
    assert hpa["spec"]["minReplicas"] >= 2
    assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]


def test_notifier_scales_on_its_queue_with_keda(k8s_resources):
    assert not [r for _, r in k8s_resources if r["kind"] == "HorizontalPodAutoscaler" and r["metadata"]["name"] == "notifier"]
    scaled = _one(k8s_resources, "ScaledObject", "notifier")
    assert scaled["apiVersion"] == "keda.sh/v1alpha1"
    assert scaled["spec"]["scaleTargetRef"]["name"] == "notifier"
    (trigger,) = scaled["spec"]["triggers"]
    assert trigger["type"] == "rabbitmq"
    assert trigger["metadata"]["queueName"] == "notifier"
    assert trigger["metadata"]["mode"] == "QueueLength"
    auth = _one(k8s_resources, "TriggerAuthentication", trigger["authenticationRef"]["name"])
    assert {ref["name"] for ref in auth["spec"]["secretTargetRef"]} == {"learnbridge-secrets"}


def test_ingress_routes_to_the_gateway(k8s_resources):
    ingresses = [r for _, r in k8s_resources if r["kind"] == "Ingress"]
    assert len(ingresses) == 1
    backends = [
        path["backend"]["service"]["name"]
        for rule in ingresses[0]["spec"]["rules"]
        for path in rule["http"]["paths"]
    ]
    assert backends == ["gateway"]


def test_config_and_secret_references_resolve(k8s_resources):
    config = _one(k8s_resources, "ConfigMap", "learnbridge-config")["data"]
    secret = _one(k8s_resources, "Secret", "learnbridge-secrets")["stringData"]
    assert all(isinstance(v, str) for v in config.values())
    for path, resource in k8s_resources:
        if resource["kind"] != "Deployment":
            continue
        for container in resource["spec"]["template"]["spec"]["containers"]:
            for e in container["env"]:
                ref = e.get("valueFrom", {})
                if "configMapKeyRef" in ref:
                    assert ref["configMapKeyRef"]["name"] == "learnbridge-config"
                    assert ref["configMapKeyRef"]["key"] in config, (path.name, e["name"])
                elif "secretKeyRef" in ref:
                    assert ref["secretKeyRef"]["name"] == "learnbridge-secrets"
                    assert ref["secretKeyRef"]["key"] in secret, (path.name, e["name"])
                else:
                    assert "value" in e, (path.name, e["name"])
    for auth in (r for _, r in k8s_resources if r["kind"] == "TriggerAuthentication"):
        for ref in auth["spec"]["secretTargetRef"]:
            assert ref["key"] in secret
    assert all(v == "CHANGE-ME" or "CHANGE-ME" in v for v in secret.values()), "the secret is a template"


def _one(resources, kind: str, name: str) -> dict:
    found = [r for _, r in resources if r["kind"] == kind and r["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind}/{name}, found {len(found)}"
    return found[0]


# ---------------------------------------------------------------------------------------------
# RabbitMQ definitions (the Swift code declares the same topology; a Swift test compares them)

def consumer_queues(service):
    """The three quorum queues every consuming service has (see Shared/Messaging/Topology)."""
    return {
        service: {
            "x-queue-type": "quorum",
            "x-delivery-limit": 20,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": f"{service}.dead-letter",
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        },
        f"{service}.retry": {
            "x-queue-type": "quorum",
            "x-message-ttl": 5000,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": service,
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        },
        f"{service}.dead-letter": {"x-queue-type": "quorum"},
    }


CONSUMER_QUEUES = {**consumer_queues("notifier"), **consumer_queues("attendance"), **consumer_queues("filetransfer")}

CONSUMER_BINDINGS = {
    "notifier": [
        "identity.user-invited.v1",
        "identity.password-reset-requested.v1",
        "identity.staff-member-recorded.v1",
        "attendance.consecutive-absences-alert.v1",
        "attendance.low-attendance-alert.v1",
        "attendance.register-overdue.v1",
        "filetransfer.file-sent.v1",
    ],
    "attendance": ["identity.organisation-recorded.v1", "identity.learner-recorded.v1", "identity.learner-group-changed.v1"],
    "filetransfer": ["identity.organisation-recorded.v1"],
}


def test_definitions_vhost_and_exchange(definitions):
    assert [v["name"] for v in definitions["vhosts"]] == ["learnbridge"]
    assert definitions["exchanges"] == [
        {
            "name": "learnbridge.events",
            "vhost": "learnbridge",
            "type": "topic",
            "durable": True,
            "auto_delete": False,
            "internal": False,
            "arguments": {},
        }
    ]


def test_definitions_queues(definitions):
    queues = {q["name"]: q for q in definitions["queues"]}
    assert set(queues) == set(CONSUMER_QUEUES)
    for name, arguments in CONSUMER_QUEUES.items():
        queue = queues[name]
        assert queue["vhost"] == "learnbridge"
        assert queue["durable"] is True and queue["auto_delete"] is False
        assert queue["arguments"] == arguments, name
        # JSON types matter to RabbitMQ: numbers stay numbers.
        for key, value in queue["arguments"].items():
            assert type(value) is type(arguments[key]), (name, key)


def test_definitions_bindings(definitions):
    bindings = {
        (b["source"], b["destination"], b["destination_type"], b["routing_key"], b["vhost"])
        for b in definitions["bindings"]
    }
    assert bindings == {
        ("learnbridge.events", queue, "queue", key, "learnbridge")
        for queue, keys in CONSUMER_BINDINGS.items()
        for key in keys
    }
    assert len(definitions["bindings"]) == sum(len(keys) for keys in CONSUMER_BINDINGS.values())


def test_definitions_user_can_use_the_vhost(definitions):
    users = {u["name"]: u for u in definitions["users"]}
    assert users["learnbridge"]["hashing_algorithm"] == "rabbit_password_hashing_sha256"
    permissions = {(p["user"], p["vhost"]): p for p in definitions["permissions"]}
    assert permissions[("learnbridge", "learnbridge")]["configure"] == ".*"


# ---------------------------------------------------------------------------------------------
# Scripts and container image


@pytest.mark.parametrize(
    "script",
    [
        "deploy/local/lib.sh",
        "deploy/local/run.sh",
        "deploy/local/stop.sh",
        "deploy/local/test.sh",
        "deploy/local/benchmark.sh",
        "deploy/local/benchmark-files.sh",
        "deploy/local/broker-control.sh",
        "deploy/local/infra.sh",
        "deploy/postgres/setup-databases.sh",
        "deploy/postgres/docker-entrypoint-initdb.sh",
        "deploy/docker/entrypoint.sh",
        ".ci/run",
    ],
)
def test_scripts_parse(script):
    path = ROOT / script
    shell = "sh" if script == "deploy/docker/entrypoint.sh" else "bash"
    subprocess.run([shell, "-n", str(path)], check=True)
    if script != "deploy/local/lib.sh":
        assert path.stat().st_mode & 0o111, f"{script} is not executable"


def _affinities(pids):
    return {pid: frozenset(os.sched_getaffinity(pid)) for pid in pids}


@pytest.mark.skipif(os.cpu_count() < 2, reason="the broker-apart layout needs two cores")
def test_benchmark_cpu_layouts_pin_the_broker_apart_and_undo_it():
    """lib.sh's broker-apart layout puts the RabbitMQ node alone on core 0 and PostgreSQL (with the
    backends it starts later) on the others; shared gives every core back."""
    paths = subprocess.run(
        ["bash", "-c", 'source deploy/local/lib.sh; echo "$RABBIT_DIR/rabbitmq.pid"; echo "$PG_DATA/postmaster.pid"'],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()
    beam = int(Path(paths[0]).read_text().split()[0])
    postmaster = int(Path(paths[1]).read_text().split()[0])
    broker_threads = [int(t) for t in os.listdir(f"/proc/{beam}/task")]
    every_core = set(range(os.cpu_count()))

    def layout(name):
        subprocess.run(["bash", "-c", f"source deploy/local/lib.sh; lb_apply_cpu_layout {name}"], cwd=ROOT, check=True)

    try:
        layout("broker-apart")
        assert set(_affinities(broker_threads).values()) == {frozenset({0})}
        assert os.sched_getaffinity(postmaster) == every_core - {0}
        # A backend started now inherits the postmaster's cores.
        session = subprocess.Popen(
            ["bash", "-c", "source deploy/local/lib.sh; psql_superuser -At"], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        try:
            session.stdin.write("SELECT pg_backend_pid();\n")
            session.stdin.flush()
            backend = int(session.stdout.readline())
            assert os.sched_getaffinity(backend) == every_core - {0}
        finally:
            session.communicate("\\q\n", timeout=30)
        assert subprocess.run(["bash", "-c", "source deploy/local/lib.sh; lb_benchmark_cores broker-apart"],
                              cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip() == f"1-{os.cpu_count() - 1}"
    finally:
        layout("shared")
    assert set(_affinities(broker_threads).values()) == {frozenset(every_core)}
    assert os.sched_getaffinity(postmaster) == every_core
    refused = subprocess.run(["bash", "-c", "source deploy/local/lib.sh; lb_apply_cpu_layout sideways"],
                             cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode != 0 and "unknown CPU layout 'sideways'" in refused.stderr


def test_dockerfile_ships_every_service():
    dockerfile = (ROOT / "deploy/docker/Dockerfile").read_text()
    entrypoint = (ROOT / "deploy/docker/entrypoint.sh").read_text()
    assert "--static-swift-stdlib" in dockerfile
    assert "USER 10001" in dockerfile
    for service in SERVICES:
        assert service in dockerfile.split("for service in", 1)[1].split(";", 1)[0]
        assert service in entrypoint
