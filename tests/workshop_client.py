"""Talks to a workshop hub over HTTP only, as a participant's browser does: the login form, then the
single-user server's REST API and a kernel's websocket."""
import asyncio
import html
import json
import re
import time
import uuid

import requests
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect


class Participant:
    def __init__(self, base: str, name: str):
        self.base = base
        self.name = name
        self.http = requests.Session()
        self.progress_url = None

    def login(self, code: str) -> requests.Response:
        """Posts the login form; returns the answer to the form (after redirects)."""
        self.http.get(f"{self.base}/hub/login")
        answer = self.http.post(f"{self.base}/hub/login", data={
            "username": self.name, "password": code, "_xsrf": self.http.cookies.get("_xsrf", path="/hub/")})
        # The hub's "server is starting" page follows the start on an event stream.
        found = re.search(r'new EventSource\("([^"]+)"\)', answer.text)
        self.progress_url = html.unescape(found.group(1)) if found else None
        return answer

    def wait_for_server(self, timeout: float = 180) -> float:
        """Seconds until the participant's JupyterLab answers (the hub spawns it after login).
        Waits as the hub's page does in a browser: on the start's event stream, then loads
        JupyterLab (asking the hub every half second instead would keep it busy rendering pages)."""
        start = time.monotonic()
        if self.progress_url:
            self.wait_for_progress(timeout)
        while time.monotonic() - start < timeout:
            # JupyterLab's page (not the hub's "starting" page) also sets the server's _xsrf cookie.
            answer = self.http.get(f"{self.base}/user/{self.name}/lab")
            if answer.status_code == 200 and "jupyter-config-data" in answer.text:
                return time.monotonic() - start
            time.sleep(0.5)
        raise TimeoutError(f"{self.name}'s server was not ready after {timeout} s")

    def wait_for_progress(self, timeout: float) -> None:
        with self.http.get(f"{self.base}{self.progress_url}", stream=True, timeout=timeout,
                           headers={"Accept": "text/event-stream"}) as stream:
            stream.raise_for_status()
            for line in stream.iter_lines():
                if line.startswith(b"data:"):
                    event = json.loads(line[5:])
                    if event.get("ready"):
                        return
                    if event.get("failed"):
                        raise RuntimeError(f"{self.name}'s server did not start: {event.get('message')}")

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.server(method, f"api/{path}", **kwargs)

    def server(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request to the participant's own server, with the XSRF token JupyterLab would send."""
        xsrf = self.http.cookies.get("_xsrf", path=f"/user/{self.name}/")
        return self.http.request(method, f"{self.base}/user/{self.name}/{path}",
                                 headers={"X-XSRFToken": xsrf or ""}, **kwargs)

    def start_kernel(self, notebook: str | None = None) -> str:
        """A kernel of its own, or one for a notebook (as opening it in JupyterLab does: its
        working directory is the notebook's folder, where the notebook's data is)."""
        if notebook:
            answer = self.api("POST", "sessions", json={"path": notebook, "type": "notebook", "name": "",
                                                        "kernel": {"name": "python3"}})
            answer.raise_for_status()
            return answer.json()["kernel"]["id"]
        answer = self.api("POST", "kernels", json={"name": "python3"})
        answer.raise_for_status()
        return answer.json()["id"]

    def run(self, kernel: str, code: str, timeout: float = 120) -> dict:
        """Runs code in the kernel; returns {'stdout': ..., 'error': 'Name: value' or None}."""
        return asyncio.run(self._run(kernel, code, timeout))

    async def _run(self, kernel: str, code: str, timeout: float) -> dict:
        ws_base = self.base.replace("http://", "ws://")
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
        request = HTTPRequest(f"{ws_base}/user/{self.name}/api/kernels/{kernel}/channels",
                              headers={"Cookie": cookies}, request_timeout=timeout)
        connection = await websocket_connect(request)
        msg_id = uuid.uuid4().hex
        await connection.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": uuid.uuid4().hex,
                       "username": self.name, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        result = {"stdout": "", "error": None}
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                raw = await asyncio.wait_for(connection.read_message(), deadline - time.monotonic())
                if raw is None:
                    raise ConnectionError("the kernel's websocket closed")
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["msg_type"]
                if kind == "stream" and msg["content"]["name"] == "stdout":
                    result["stdout"] += msg["content"]["text"]
                elif kind == "error":
                    result["error"] = f"{msg['content']['ename']}: {msg['content']['evalue']}"
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    return result
        finally:
            connection.close()
        raise TimeoutError(f"code did not finish in {timeout} s: {code[:80]}")
