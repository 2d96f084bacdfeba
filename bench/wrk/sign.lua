-- wrk script of scripts/bench.sh --against step-ca: POST /1.0/sign with one pre-made body per
-- request (each its own CSR and one-time token), read from a file of one JSON body per line.
-- Usage: wrk -t T -c C -d D -s sign.lua URL -- BODIES_FILE T
-- Thread k sends lines k, k+T, k+2T, ... in order; a thread that runs out of bodies stops (its
-- last request resends its first body, which the CA refuses as a replayed token: one non-2xx).
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local path, nthreads = args[1], tonumber(args[2])
  bodies, nextBody, i = {}, 1, 0
  for line in io.lines(path) do
    if i % nthreads == id then bodies[#bodies + 1] = line end
    i = i + 1
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local body = bodies[nextBody]
  if body == nil then
    wrk.thread:stop()
    body = bodies[1]
  end
  nextBody = nextBody + 1
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"seconds":%.6f,"p50Ms":%.3f,"p99Ms":%.3f,"maxMs":%.3f,"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect, e.read, e.write, e.timeout))
end
