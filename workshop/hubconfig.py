"""JupyterHub's configuration for a workshop; DIR/hub/jupyterhub_config.py calls `configure`."""
import asyncio
import sys
from pathlib import Path

from jupyterhub.authenticators.shared import SharedPasswordAuthenticator
from jupyterhub.spawner import LocalProcessSpawner
from jupyterhub.utils import can_connect
from tornado import web

from . import REPO, accounts, limits
from .layout import Layout

TRAINER = "trainer"


class WorkshopAuthenticator(SharedPasswordAuthenticator):
    """The shared code, plus a clear message for a name that cannot become a Unix account."""

    async def authenticate(self, handler, data):
        user = await super().authenticate(handler, data)
        # Only someone with the code learns why a name does not work.
        if user and not user["admin"]:
            layout = Layout(Path(self.config.Workshop.dir))
            problem = accounts.name_problem(user["name"], layout.homes, layout.settings()["lang"])
            if problem:
                raise web.HTTPError(403, problem)
        return user


class ParticipantSpawner(LocalProcessSpawner):
    """Each server runs as the participant's own account, inside their memory and CPU limits, with
    the course copied into the home at first login."""

    def make_preexec_fn(self, name):
        setuid = super().make_preexec_fn(name)
        join = limits.joiner(self._cgroup_procs)

        def preexec():
            join()
            setuid()
        return preexec

    async def start(self):
        layout = Layout(Path(self.config.Workshop.dir))
        settings = layout.settings()
        # In a thread: the hub goes on answering the others' logins meanwhile.
        entry = await asyncio.to_thread(accounts.ensure_account, self.user.name, layout.homes)
        await asyncio.to_thread(accounts.copy_course, entry, layout.template)
        try:
            self._cgroup_procs = limits.prepare(layout.root, self.user.name, settings["memory_bytes"], settings["cpus"])
        except OSError as exc:
            self.log.warning("No memory/CPU limits for %s: %s", self.user.name, exc)
            self._cgroup_procs = []
        ip, port = await super().start()
        await self.wait_until_listening(ip, port)
        return ip, port

    async def wait_until_listening(self, ip: str, port: int) -> None:
        """The hub asks a starting server whether it is up at growing random intervals of up to
        5 s; with thirty starts that long the last ones would wait seconds for nothing. A server
        opens its port only at the end of its start, so trying to connect every 0.1 s (cheap for a
        closed port) lets the hub's first question get an answer."""
        while await self.poll() is None and not can_connect(ip, port):
            await asyncio.sleep(0.1)


def configure(c, workshop_dir: str, ip: str, port: int, hub_port: int, proxy_api_port: int) -> None:
    layout = Layout(Path(workshop_dir))
    settings = layout.settings()
    env_bin = Path(settings["env"]) / "bin"
    c.Workshop.dir = str(layout.root)

    c.JupyterHub.ip = ip
    c.JupyterHub.port = port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = hub_port
    c.JupyterHub.db_url = f"sqlite:///{layout.hub / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(layout.hub / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(layout.hub / "jupyterhub.pid")
    c.JupyterHub.cleanup_servers = True
    c.JupyterHub.template_paths = [str(Path(__file__).parent / "templates")]
    c.JupyterHub.template_vars = {"workshop_lang": settings["lang"]}

    c.ConfigurableHTTPProxy.command = [str(REPO / "node_modules" / ".bin" / "configurable-http-proxy")]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(layout.hub / "proxy.pid")

    c.JupyterHub.authenticator_class = WorkshopAuthenticator
    c.SharedPasswordAuthenticator.user_password = layout.participant_code()
    c.SharedPasswordAuthenticator.admin_password = layout.trainer_code()
    c.Authenticator.admin_users = {TRAINER}
    c.Authenticator.allow_all = True

    c.JupyterHub.spawner_class = ParticipantSpawner
    c.Spawner.cmd = [str(env_bin / "jupyterhub-singleuser")]
    c.Spawner.default_url = "/lab"
    c.Spawner.mem_limit = settings["memory_bytes"]
    c.Spawner.cpu_limit = settings["cpus"]
    # Thirty participants logging in at once share two cores: give slow starts time.
    c.Spawner.start_timeout = 300
    c.Spawner.http_timeout = 300
    c.Spawner.environment = {
        # nbgrader runs `alembic` as a program, so the environment's bin/ comes first.
        "PATH": f"{env_bin}:/usr/local/bin:/usr/bin:/bin",
        "JUPYTER_CONFIG_PATH": str(layout.participant_config),
    }

    c.JupyterHub.load_roles = [{
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }]
    c.JupyterHub.services = [{
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                    f"--timeout={settings['idle_timeout']}", "--cull-every=60"],
    }]
