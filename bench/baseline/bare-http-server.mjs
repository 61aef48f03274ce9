// A bare Node HTTP server: reads the JSON body, answers a small JSON document. The ceiling for
// any Node HTTP service on this machine, to hold the API's requests/s against.
import http from "node:http";

const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const reply = JSON.stringify({
      result: { data: { orderId: "00000000-0000-4000-8000-000000000000", bytes: body.length } },
    });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(reply);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("disconnect", () => process.exit(0));
