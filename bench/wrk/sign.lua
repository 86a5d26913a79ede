-- POST the sign form with a new email address on every request.
-- Arguments: a run prefix (keeps addresses unique across runs) and the Origin
-- a browser would send from the campaign page.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

local prefix, origin
local counter = 0
function init(args)
  prefix = args[1]
  origin = args[2]
end

function request()
  counter = counter + 1
  local body = "name=Bench+Signer&zip_code=70112&email=" .. prefix .. "-" .. tid .. "-" ..
    counter .. "%40bench.example.org"
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = origin,
  }, body)
end
