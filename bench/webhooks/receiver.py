"""A webhook receiver in a process of its own: answers 204, counts what it got.

`python -m bench.webhooks.receiver PORT`. GET /count says how many deliveries arrived. It
does not verify signatures: that is the platform's CPU, not the dispatcher's (the tests
verify every one).
"""

from __future__ import annotations

import sys

from aiohttp import web

_received = web.AppKey("received", list)


async def _hook(request: web.Request) -> web.Response:
    await request.read()
    request.app[_received].append(request.headers.get("webhook-id"))
    return web.Response(status=204)


async def _count(request: web.Request) -> web.Response:
    received = request.app[_received]
    return web.json_response({"count": len(received), "distinct": len(set(received))})


def main(port: int) -> None:
    app = web.Application()
    app[_received] = []
    app.router.add_post("/hooks", _hook)
    app.router.add_get("/count", _count)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main(int(sys.argv[1]))
