"""The repository's compose.yaml (Redis, PostgreSQL, the coordinator and crawl workers) holds
together, checked without a container runtime: every newswatch command and setting in it is
one the real command line accepts, and the services agree on where Redis, the store and the
sites file are (README, "Running workers on several machines")."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import yaml  # PyYAML comes with apprise, a dependency of newswatch
from sqlalchemy.engine import make_url

from scheduler.cli.parser import build_parser
from scheduler.settings import SETTINGS, Sources
from tests.support.helpers import ROOT

NEWSWATCH_SERVICES = ("coordinator", "worker")


@pytest.fixture(scope="module")
def services() -> dict[str, dict]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]


def test_it_runs_redis_postgresql_a_coordinator_and_workers_from_the_repositorys_image(services):
    assert set(services) == {"redis", "postgres", *NEWSWATCH_SERVICES}
    assert services["coordinator"]["command"][0] == "run"
    assert services["worker"]["command"][0] == "worker"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["newswatch"]' in dockerfile
    assert re.search(r'pip install .*"\.\[workers\]"', dockerfile)  # scrapy-redis, redis, psycopg
    for name in NEWSWATCH_SERVICES:
        assert services[name]["build"] == "."


@pytest.mark.parametrize("name", NEWSWATCH_SERVICES)
def test_each_command_and_setting_is_one_newswatch_accepts(services, name, tmp_path):
    service = services[name]
    args = build_parser().parse_args(service["command"])  # an unknown option exits (SystemExit)
    environment = {key: str(value) for key, value in service["environment"].items()}
    assert set(environment) <= {setting.env for setting in SETTINGS.values()}
    sources = Sources(vars(args), environment | {"XDG_CONFIG_HOME": str(tmp_path)})
    for key in SETTINGS:
        sources.value(key)  # a malformed value raises SettingsError


def test_the_services_agree_on_redis_the_store_and_the_sites_file(services):
    coordinator, worker = services["coordinator"], services["worker"]
    redis_urls = {
        coordinator["command"][coordinator["command"].index("--workers") + 1],
        worker["command"][worker["command"].index("--redis") + 1],
    }
    assert len(redis_urls) == 1
    assert urlsplit(redis_urls.pop()).hostname == "redis"

    postgres = services["postgres"]["environment"]
    for name in NEWSWATCH_SERVICES:
        store = make_url(services[name]["environment"]["NEWSWATCH_DB"])
        assert (store.host, store.username, store.password, store.database) == (
            "postgres",
            postgres["POSTGRES_USER"],
            postgres["POSTGRES_PASSWORD"],
            postgres["POSTGRES_DB"],
        )
        sites = services[name]["environment"]["NEWSWATCH_SITES"]
        assert any(volume.split(":")[1] == sites for volume in services[name]["volumes"]), name
        waits_for = services[name]["depends_on"]
        assert waits_for["redis"]["condition"] == waits_for["postgres"]["condition"] == "service_healthy"
    for name in ("redis", "postgres"):
        assert services[name]["healthcheck"]["test"]


def test_the_coordinator_serves_on_the_port_it_publishes(services):
    command = services["coordinator"]["command"]
    port = command[command.index("--port") + 1]
    assert command[command.index("--host") + 1] == "0.0.0.0"  # reachable from outside its container
    assert services["coordinator"]["ports"] == [f"{port}:{port}"]
