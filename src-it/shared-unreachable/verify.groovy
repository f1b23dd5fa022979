// Shared predictions the build could not ask for are said, not taken for a miss.
context.get('team')?.stop(0)
def log = new File(basedir, 'build.log').text
def builds = log.split(/(?m)^\[INFO\] Scanning for projects/)
assert builds.size() >= 4 : "expected 3 builds in build.log, found ${builds.size() - 1}"
def (first, second, third) = [builds[1], builds[2], builds[3]]
def urls = new Properties()
new File(basedir, 'repositories.properties').withInputStream { urls.load(it) }

// 1: a warning per repository, once (not again for the training record or another goal), and the member trains.
def refused = "[WARNING] shared predictions: repository 'team' (${urls.'team.url'}) refused the credentials (HTTP 401):" +
        " members it may hold are computed here instead (first: m1); fix the <server> with id 'team'"
assert first.contains(refused) : first
assert first.count("repository 'team'") == 1
def gone = "[WARNING] shared predictions: repository 'gone' (${urls.'gone.url'}) could not be reached (connection refused)"
assert first.contains(gone) : first
assert first.count("repository 'gone'") == 1
assert first.contains('-Dpaddy.shared.required to fail instead')
assert first.contains('m1: trains (new)')
assert first.contains('BUILD SUCCESS')
// The credentials from settings.xml were sent, and refused.
def basic = 'Basic ' + 'it-user:wrong-password'.bytes.encodeBase64().toString()
assert new File(basedir, 'team-requests.txt').readLines().any { it.endsWith(basic) }

// 2: -Dpaddy.shared.required fails before anything trains, naming both repositories and why.
assert second.contains('paddy.shared.required is set, so the build stops before m1 is trained here')
assert second.contains("repository 'team' (${urls.'team.url'}) refused the credentials (HTTP 401)")
assert second.contains("repository 'gone' (${urls.'gone.url'}) could not be reached (connection refused)")
assert !second.contains(': trains (')
assert !new File(basedir, 'second/members').exists()

// 3: under -o the repositories are not asked, and the build says so.
assert third.contains("Maven runs offline (-o): repository 'team' (${urls.'team.url'}) was not asked; run without -o to ask it")
assert !third.contains(': trains (')
return true
