-- Counts answers by status in every thread and prints one RESULT line, so the benchmark scripts can compare
-- the 2xx count with the rows stored. Loaded by the request scripts with dofile.
threads = {}

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
