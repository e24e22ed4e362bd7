"""The bp kernel: ipykernel's wrapper-kernel base over one `bp --serve` child process.

Every request goes to bp as one JSON line (docs/serve-protocol.md); bp's messages come back
one JSON object a line and are turned into Jupyter messages: `stream` -> stream, `result` ->
execute_result, `display` -> display_data, `update` -> update_display_data, `done` -> the
execute reply (an `error` on iopub first when the cell failed or was interrupted).

Interrupt: Jupyter sends SIGINT to this process (the kernelspec's interrupt mode "signal"; a
"message" interrupt ends up the same way, as ipykernel signals itself). While a request runs,
the handler installed by `pre_handler_hook` passes it on to bp, which stops the cell as Ctrl-C
does in the shell. bp runs in its own session, so a signal to this kernel's process group
never reaches it twice.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

from ipykernel.kernelbase import Kernel

from . import __version__


def find_bp() -> str:
    """The bp executable: $BP_BINARY, else the checkout's .build/release/bp (the folder this
    package lives in, or one above it), else `bp` on PATH."""
    env = os.environ.get("BP_BINARY")
    if env:
        return env
    for folder in Path(__file__).resolve().parents:
        candidate = folder / ".build" / "release" / "bp"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("bp")
    if found:
        return found
    raise FileNotFoundError(
        "bp was not found: set BP_BINARY to the bp executable, build it (scripts/bp in the "
        "checkout builds .build/release/bp), or put bp on PATH (scripts/install)"
    )


def located(error: dict) -> str:
    """bp's message with its place in the cell, as one line (the error's evalue)."""
    message = str(error.get("message", ""))
    line, column = error.get("line"), error.get("column")
    if line is None or f"line {line}" in message:
        return message
    where = f"line {line}" + (f", column {column}" if column is not None else "")
    return f"{where}: {message}"


def ended(status) -> str:
    """How a child process ended, in words (Popen's returncode)."""
    if status is None:
        return "for an unknown reason"
    if status < 0:
        return f"killed by signal {-status}"
    return f"exit status {status}"


class BpKernel(Kernel):
    implementation = "bp_kernel"
    implementation_version = __version__
    language = "bp"
    language_info = {
        "name": "bp",
        "mimetype": "text/x-bp",
        "file_extension": ".bp",
        "pygments_lexer": "bplang",  # the lexer in lexer.py (pygments' "bp" is Soong)
        # JupyterLab's editor has no bp mode; Python's colours bp's keywords, numbers,
        # strings and comments (nbconvert uses the real lexer, pygments_lexer above)
        "codemirror_mode": "python",
    }
    banner = "bp: a shell for exploring backpropagation (Jupyter kernel over bp --serve)"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._proc: subprocess.Popen | None = None
        self._next_id = 0
        self._notes: list[str] = []  # said before the next cell's output (a restarted bp)
        try:
            version = subprocess.run([find_bp(), "--version"], capture_output=True,
                                     text=True, timeout=10).stdout.strip()
            self.language_info = dict(self.language_info, version=version.split()[-1] if version else "")
        except Exception:
            pass

    # -- the child process -------------------------------------------------------------

    def _start(self) -> subprocess.Popen:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        if self._proc is not None:
            self._notes.append(
                f"bp stopped ({ended(self._proc.returncode)}) and was started again: "
                "the variables of earlier cells are gone\n")
        self._proc = subprocess.Popen(
            [find_bp(), "--serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            encoding="utf-8", errors="replace", bufsize=1,
            start_new_session=True,  # its own process group: SIGINT only from us
            cwd=os.getcwd(),
        )
        return self._proc

    def _send(self, request: dict) -> int:
        """Writes one request; returns its id."""
        proc = self._start()
        self._next_id += 1
        request = dict(request, id=self._next_id)
        proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        proc.stdin.flush()
        return self._next_id

    def _messages(self, rid: int):
        """bp's messages for request `rid`, one dict each, until bp's output ends."""
        proc = self._proc
        while True:
            line = proc.stdout.readline()
            if not line:
                return
            line = line.strip()
            if not line:
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                self.log.warning("bp --serve wrote a line that is not JSON: %r", line)
                continue
            if msg.get("id") not in (rid, None):
                self.log.warning("bp --serve: a message for another request: %r", msg)
                continue
            yield msg

    def _request(self, request: dict, reply_type: str) -> dict | None:
        """Sends a request and returns its reply (None when bp ended or could not read it)."""
        try:
            rid = self._send(request)
        except (OSError, FileNotFoundError) as err:
            self.log.error("bp --serve: %s", err)
            return None
        for msg in self._messages(rid):
            if msg.get("type") == reply_type:
                return msg
            if msg.get("type") == "protocol_error":
                self.log.error("bp --serve: protocol error: %s", msg.get("message"))
                return None
        return None

    def _forward_sigint(self, signum, frame):
        proc = self._proc
        if proc is not None and proc.poll() is None:
            try:
                proc.send_signal(signal.SIGINT)
            except OSError:
                pass

    def pre_handler_hook(self):
        # while a request runs, SIGINT (Jupyter's interrupt) goes on to bp instead of
        # raising KeyboardInterrupt here
        self.saved_sigint_handler = signal.signal(signal.SIGINT, self._forward_sigint)

    def post_handler_hook(self):
        signal.signal(signal.SIGINT, self.saved_sigint_handler)

    # -- Jupyter's requests ------------------------------------------------------------

    def _error_content(self, ename: str, evalue: str, traceback: list[str]) -> dict:
        return {"ename": ename, "evalue": evalue, "traceback": traceback}

    async def do_execute(self, code, silent, store_history=True, user_expressions=None,
                         allow_stdin=False, **kwargs):
        count = self.execution_count
        notes, self._notes = self._notes, []
        try:
            rid = self._send({"type": "execute", "code": code})
        except (OSError, FileNotFoundError) as err:
            return self._fail(silent, "KernelError", f"cannot run bp --serve: {err}",
                              [f"cannot run bp --serve: {err}"])
        notes += self._notes
        self._notes = []
        if notes and not silent:
            self.send_response(self.iopub_socket, "stream",
                               {"name": "stderr", "text": "".join(notes)})
        for msg in self._messages(rid):
            kind = msg.get("type")
            if kind == "done":
                status = msg.get("status", "ok")
                if status == "ok":
                    return {"status": "ok", "execution_count": count, "payload": [],
                            "user_expressions": {}}
                error = msg.get("error") or {}
                name = error.get("name") or ("Interrupted" if status == "interrupted" else "Error")
                text = error.get("text") or error.get("message") or status
                return self._fail(silent, name, located(error) or status,
                                  text.rstrip("\n").split("\n"))
            if silent:
                continue
            if kind == "stream":
                self.send_response(self.iopub_socket, "stream",
                                   {"name": msg.get("name", "stdout"), "text": msg.get("text", "")})
            elif kind == "result":
                self.send_response(self.iopub_socket, "execute_result",
                                   {"execution_count": count, "data": msg.get("data", {}),
                                    "metadata": {}})
            elif kind in ("display", "update"):
                content = {"data": msg.get("data", {}), "metadata": {}, "transient": {}}
                if msg.get("display_id") is not None:
                    content["transient"]["display_id"] = str(msg["display_id"])
                if kind == "display":
                    self.send_response(self.iopub_socket, "display_data", content)
                elif content["transient"]:
                    self.send_response(self.iopub_socket, "update_display_data", content)
            elif kind == "protocol_error":
                return self._fail(silent, "ProtocolError", str(msg.get("message")),
                                  [f"bp --serve could not read the request: {msg.get('message')}"])
            else:
                self.log.warning("bp --serve: unexpected message %r", msg)
        status = self._proc.wait() if self._proc is not None else None
        text = f"bp --serve ended during the cell ({ended(status)}); the next cell starts it again"
        return self._fail(silent, "KernelError", text, [text])

    def _fail(self, silent: bool, ename: str, evalue: str, traceback: list[str]) -> dict:
        content = self._error_content(ename, evalue, traceback)
        if not silent:
            self.send_response(self.iopub_socket, "error", content)
        return dict(content, status="error", execution_count=self.execution_count)

    async def do_complete(self, code, cursor_pos):
        reply = self._request({"type": "complete", "code": code, "cursor": cursor_pos},
                              "complete_reply")
        if reply is None:
            return {"status": "ok", "matches": [], "cursor_start": cursor_pos,
                    "cursor_end": cursor_pos, "metadata": {}}
        return {"status": "ok", "matches": reply.get("matches", []),
                "cursor_start": reply.get("cursor_start", cursor_pos),
                "cursor_end": reply.get("cursor_end", cursor_pos), "metadata": {}}

    async def do_inspect(self, code, cursor_pos, detail_level=0, omit_sections=()):
        reply = self._request({"type": "inspect", "code": code, "cursor": cursor_pos},
                              "inspect_reply")
        found = bool(reply and reply.get("found"))
        data = {"text/plain": reply.get("text", "")} if found else {}
        return {"status": "ok", "found": found, "data": data, "metadata": {}}

    async def do_shutdown(self, restart):
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            try:
                self._proc = proc
                self._request({"type": "shutdown"}, "shutdown_reply")
                proc.wait(timeout=2)
            except Exception:
                proc.kill()
                proc.wait()
            finally:
                self._proc = None
        return {"status": "ok", "restart": restart}
