-- Shared by every bench script, loaded with dofile(): number the threads
-- (each script's init() can read its own "tid") and print one machine-readable
-- line when wrk is done. Never defines response(), which would make wrk hand
-- every body to Lua and slow the client down.

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
