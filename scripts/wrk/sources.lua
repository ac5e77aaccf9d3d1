-- Sends pre-built webhook deliveries (path, headers and body each), every one distinct, so every
-- request stores something new. bench-webhooks.sh (GitHub) and bench_sources.py (every other source) write them.
dofile("scripts/wrk/tally.lua")
local requests = dofile(os.getenv("BENCH_REQUESTS"))

function setup(thread)
   thread:set("offset", #threads)
   table.insert(threads, thread)
end

function init(args)
   ok = 0
   other = 0
   index = offset
end

function request()
   -- Two threads take alternate requests, so none is sent twice.
   index = index + 2
   local item = requests[(index - 1) % #requests + 1]
   local headers = { ["Content-Type"] = "application/json" }
   for name, value in pairs(item.headers) do headers[name] = value end
   return wrk.format("POST", item.path, headers, item.body)
end
