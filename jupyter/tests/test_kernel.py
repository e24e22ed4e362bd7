"""Drives a real bp kernel through jupyter_client (KernelManager + BlockingKernelClient).

Run by scripts/jupyter-test with the environment's python: `python test_kernel.py`. Each check
prints `ok NAME` or `FAIL NAME: why`; the exit status is the number of failures (0: all pass).
The kernel runs $BP_BINARY (scripts/jupyter-test sets it).
"""
import queue
import sys
import threading
import time
import traceback

from jupyter_client.manager import KernelManager

TIMEOUT = 60
failures = []
passed = []


def run(kc, code, timeout=TIMEOUT, on_busy=None):
    """Executes `code`; returns (reply content, [iopub messages of the cell])."""
    msg_id = kc.execute(code)
    messages = []
    deadline = time.monotonic() + timeout
    busy_seen = False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"no idle status for {code!r} within {timeout} s")
        try:
            msg = kc.get_iopub_msg(timeout=remaining)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status":
            state = msg["content"]["execution_state"]
            if state == "busy" and not busy_seen:
                busy_seen = True
                if on_busy:
                    on_busy()
            if state == "idle":
                break
            continue
        messages.append(msg)
    reply = kc.get_shell_msg(timeout=timeout)
    assert reply["parent_header"]["msg_id"] == msg_id, "a reply for another request"
    return reply["content"], messages


def stdout_of(messages):
    return "".join(m["content"]["text"] for m in messages
                   if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")


def check(name, fn):
    try:
        fn()
        passed.append(name)
        print(f"ok   {name}", flush=True)
    except Exception as err:  # noqa: BLE001 - every failure is reported, then counted
        failures.append(name)
        print(f"FAIL {name}: {err}", flush=True)
        traceback.print_exc(limit=3)


def main():
    km = KernelManager(kernel_name="bp")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
        info = kc.kernel_info(reply=True, timeout=TIMEOUT)["content"]

        def kernel_info():
            li = info["language_info"]
            assert li["name"] == "bp" and li["file_extension"] == ".bp", li
            assert km.kernel_spec.language == "bp" and km.kernel_spec.display_name == "bp"

        check("kernel_info: language bp, extension .bp", kernel_info)

        def chain_rule():
            reply, msgs = run(kc, "a = 1; b = 2; c = 3; f = (a + b) * (b + c); backward(f)")
            assert reply["status"] == "ok", reply
            out = stdout_of(msgs)
            for line in ("df/da = 5", "df/db = 8", "df/dc = 3"):
                assert line in out.splitlines(), f"{line!r} not in the stream {out!r}"

        check("backward(f) streams df/da = 5, df/db = 8, df/dc = 3", chain_rule)

        def result():
            reply, msgs = run(kc, "f")
            results = [m for m in msgs if m["msg_type"] == "execute_result"]
            assert reply["status"] == "ok" and len(results) == 1, msgs
            assert results[0]["content"]["data"]["text/plain"] == "15", results[0]["content"]
            assert results[0]["content"]["execution_count"] == reply["execution_count"]

        check("an expression statement is an execute_result (f -> 15)", result)

        def plot_svg():
            code = ("seed(0)\nX, y = xor()\nnet = mlp([2, 4, 1])\n"
                    "h = train(net, X, y, epochs=50, quiet=true)\nplot(h)")
            reply, msgs = run(kc, code)
            assert reply["status"] == "ok", reply
            svgs = [m for m in msgs if m["msg_type"] == "display_data"
                    and "image/svg+xml" in m["content"]["data"]]
            assert len(svgs) == 1, [m["msg_type"] for m in msgs]
            assert "<svg" in svgs[0]["content"]["data"]["image/svg+xml"]

        check("plot(h) after train sends image/svg+xml", plot_svg)

        def progress():
            reply, msgs = run(kc, "h2 = train(net, X, y, epochs=3000)")
            assert reply["status"] == "ok", reply
            shown = [m for m in msgs if m["msg_type"] in ("display_data", "update_display_data")]
            kinds = [m["msg_type"] for m in shown]
            assert kinds and kinds[0] == "display_data", kinds
            ids = {m["content"].get("transient", {}).get("display_id") for m in shown}
            assert len(ids) == 1 and None not in ids, f"one display id expected: {ids}"
            assert len(shown) < 100, f"{len(shown)} progress messages for 3000 epochs"

        check("train's progress is one display updated in place", progress)

        def unknown_name():
            reply, msgs = run(kc, "x = 1\ny = nosuch + 1")
            assert reply["status"] == "error", reply
            assert reply["ename"] == "RuntimeError", reply
            assert "nosuch" in reply["evalue"] and "line 2" in reply["evalue"], reply["evalue"]
            errors = [m for m in msgs if m["msg_type"] == "error"]
            assert len(errors) == 1 and errors[0]["content"]["evalue"] == reply["evalue"], msgs
            assert any("nosuch" in line for line in reply["traceback"]), reply["traceback"]

        check("an unknown name is an error reply with the located message", unknown_name)

        def interrupt():
            reply, _ = run(kc, "keep = 42")
            assert reply["status"] == "ok", reply

            def interrupt_soon():
                time.sleep(1.0)
                km.interrupt_kernel()

            started = time.monotonic()
            reply, msgs = run(kc, "n = 0\nwhile true { n += 1 }", timeout=30,
                              on_busy=lambda: threading.Thread(target=interrupt_soon).start())
            assert time.monotonic() - started < 20, "the interrupt took too long"
            assert reply["status"] == "error" and reply["ename"] == "Interrupted", reply
            reply, msgs = run(kc, "print(keep, n > 0)")
            assert reply["status"] == "ok", reply
            assert stdout_of(msgs).strip() == "42 true", stdout_of(msgs)

        check("while true { } is interrupted and the next cell sees the variables", interrupt)

        def complete():
            reply = kc.complete("x = sigm", 8, reply=True, timeout=TIMEOUT)["content"]
            assert reply["status"] == "ok", reply
            assert "sigmoid" in reply["matches"], reply
            assert (reply["cursor_start"], reply["cursor_end"]) == (4, 8), reply

        check("completing sigm offers sigmoid", complete)

        def inspect():
            reply = kc.inspect("sigmoid", 7, reply=True, timeout=TIMEOUT)["content"]
            assert reply["status"] == "ok" and reply["found"], reply
            text = reply["data"]["text/plain"]
            assert text.startswith("sigmoid(") and "logistic" in text, text

        check("inspecting sigmoid returns its help", inspect)

        def vars_table():
            reply, msgs = run(kc, ":vars")
            assert reply["status"] == "ok", reply
            tables = [m for m in msgs if m["msg_type"] == "display_data"]
            assert tables and "<table" in tables[0]["content"]["data"]["text/html"], msgs
            assert "keep" in tables[0]["content"]["data"]["text/plain"]

        check(":vars is an HTML table", vars_table)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    print(f"kernel: {len(passed)} of {len(passed) + len(failures)} checks passed", flush=True)
    return len(failures)


if __name__ == "__main__":
    sys.exit(main())
