-- `make bench`'s wrk script (bench/wrk.py): counts answers by status in each thread and keeps
-- the first line of the first body of each status >= 400, printed once wrk is done.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  errors = {}
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if status >= 400 and errors[key] == nil then
    errors[key] = string.match(body or "", "[^\n]*")
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("statuses")) do
      io.write(string.format("status %s %d\n", key, count))
    end
    for key, line in pairs(thread:get("errors")) do
      io.write(string.format("error %s %s\n", key, line))
    end
  end
end
