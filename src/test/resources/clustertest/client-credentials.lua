-- wrk load for the cluster suite (dev.ostiary.clustertest.Wrk): client_credentials for svc-client,
-- scope read, POSTed to the URL wrk is given. Every response is counted by status and by the node
-- nginx sent it to (X-Ostiary-Upstream); done() prints one line the Java side parses. The script's
-- first argument (after --) is each connection's pause between requests, in milliseconds.
wrk.method = "POST"
wrk.body = "grant_type=client_credentials&scope=read"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
-- svc-client:svc-secret (the demo data)
wrk.headers["Authorization"] = "Basic c3ZjLWNsaWVudDpzdmMtc2VjcmV0"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
  -- milliseconds each connection waits after an answer before its next request (wrk's delay hook):
  -- a bounded load that leaves the machine room to restart nodes, instead of saturating it
  think = tonumber(args[1] or "0")
end

function delay()
  return think
end

function response(status, headers, body)
  local key = status .. "@" .. (headers["X-Ostiary-Upstream"] or headers["x-ostiary-upstream"] or "-")
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("counts") or {}) do
      total[key] = (total[key] or 0) + n
    end
  end
  local parts = {}
  for key, n in pairs(total) do
    table.insert(parts, key .. "=" .. n)
  end
  local e = summary.errors
  io.write(string.format("OSTIARY-WRK requests=%d connect=%d read=%d write=%d timeout=%d status=%d counts=%s\n",
    summary.requests, e.connect, e.read, e.write, e.timeout, e.status, table.concat(parts, "|")))
end
