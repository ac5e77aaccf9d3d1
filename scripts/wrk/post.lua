-- Posts the same body to every request and tallies answers by status, so the script can compare
-- the 2xx count with the rows stored. Body, content type and cookie come from the environment.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE")
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   ok = 0
   other = 0
end

function response(status, headers, body)
   if status >= 200 and status < 300 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
   local total_ok, total_other = 0, 0
   for _, thread in ipairs(threads) do
      total_ok = total_ok + thread:get("ok")
      total_other = total_other + thread:get("other")
   end
   io.write(string.format("RESULT ok=%d other=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f\n",
      total_ok, total_other, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3))
end
