-- POST "Confirm my signature" for a different signature on every request.
-- Arguments: a file of confirmation paths (one per line), the number of wrk
-- threads, and the Origin. Thread N takes lines N, N + threads, ...; a thread
-- that runs out starts again, and the benchmark reports that it did.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

local paths = {}
local index = 0
local origin
function init(args)
  local stride = tonumber(args[2])
  origin = args[3]
  local line_number = 0
  for line in io.lines(args[1]) do
    if line_number % stride == tid - 1 then
      paths[#paths + 1] = line
    end
    line_number = line_number + 1
  end
end

function request()
  index = index + 1
  local path = paths[(index - 1) % #paths + 1]
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = origin,
  }, "")
end
