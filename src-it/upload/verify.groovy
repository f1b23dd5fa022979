import groovy.json.JsonSlurper
import java.security.MessageDigest

context.get('kaggle')?.stop(0)
context.get('proxy')?.stop(0)

// Exactly one submission reached the fake Kaggle, as the kaggle CLI sends it: StartSubmissionUpload,
// the CSV's bytes PUT to the storage URL without credentials, CreateSubmission with the token and
// the default message, then ListSubmissions for its score. The matrix runner (build 2), the dry run (build 3) and the offline build (4)
// sent nothing.
def key = 'it-secret-key-0f1e2d3c4b5a'
def dir = new File(basedir, 'kaggle-requests')
assert dir.list().findAll { it.endsWith('.properties') }.sort() == ['1.properties', '2.properties', '3.properties',
                                                                     '4.properties']
def request = { n ->
    def p = new Properties()
    new File(dir, "${n}.properties").withInputStream { p.load(it) }
    p
}
def body = { n -> new File(dir, "${n}.body").bytes }
def json = { n -> new JsonSlurper().parse(body(n)) }
def csv = new File(basedir, 'target/paddy/submission.csv')
def basic = 'Basic ' + "it-user:${key}".getBytes('UTF-8').encodeBase64().toString()

assert request(1).method == 'POST'
assert request(1).path == '/v1/competitions.CompetitionApiService/StartSubmissionUpload'
assert request(1).authorization == basic
assert json(1).competitionName == 'paddy-disease-classification'
assert json(1).fileName == 'submission.csv'
assert json(1).contentLength == csv.length()

assert request(2).method == 'PUT'
assert request(2).path == '/storage/it-blob-token'
assert request(2).authorization == ''
assert body(2) == csv.bytes

assert request(3).method == 'POST'
assert request(3).path == '/v1/competitions.CompetitionApiService/CreateSubmission'
assert request(3).authorization == basic
assert json(3).competitionName == 'paddy-disease-classification'
assert json(3).blobFileTokens == 'it-blob-token'

assert request(4).method == 'POST'
assert request(4).path == '/v1/competitions.CompetitionApiService/ListSubmissions'
assert request(4).authorization == basic
assert json(4).competitionName == 'paddy-disease-classification'

// Every request went through settings.xml's proxy, with its credentials.
def proxyAuthorization = 'Basic ' + 'proxy-user:proxy-pass'.bytes.encodeBase64().toString()
def url = new Properties()
new File(basedir, 'kaggle.properties').withInputStream { url.load(it) }
def base = url.'paddy.kaggle.url'
assert new File(basedir, 'proxy-requests.txt').readLines() == [
        "POST ${base}/v1/competitions.CompetitionApiService/StartSubmissionUpload ${proxyAuthorization}",
        "PUT ${base}/storage/it-blob-token?sig=x ${proxyAuthorization}",
        "POST ${base}/v1/competitions.CompetitionApiService/CreateSubmission ${proxyAuthorization}",
        "POST ${base}/v1/competitions.CompetitionApiService/ListSubmissions ${proxyAuthorization}"]*.toString()

def log = new File(basedir, 'build.log').text
assert log.contains('paddy:train: 2 member(s) trained, 0 cached') : 'both members train (none resolved from an earlier run)'
def hash = MessageDigest.getInstance('SHA-256').digest(new File(basedir, 'paddy.yaml').bytes).encodeHex().toString()
assert json(3).submissionDescription ==~ /paddy ${hash.substring(0, 12)}: resnet \d\.\d{4}, convnext \d\.\d{4} \(valid error\)/

assert !log.contains(key) : 'the API key is in build.log'
assert log.contains('paddy:upload: Kaggle says "Successfully submitted to Paddy Doctor: Paddy Disease Classification" (submission 31337)')
def proxyPort = (new File(basedir, 'proxy-settings.xml').text =~ /<port>(\d+)<\/port>/)[0][1]
assert log.contains("paddy:upload: through the proxy http://127.0.0.1:${proxyPort} (settings.xml proxy 'corp', as user 'proxy-user')")
assert !log.contains('proxy-pass') : 'the proxy password is in build.log'
assert log.contains('paddy:upload: submission 31337 is complete: public score 0.41250')
assert log.contains('paddy:upload: skipped, paddy.members selects resnet only')
assert log.contains('paddy:upload: dry run: nothing is sent to Kaggle')
def sha = MessageDigest.getInstance('SHA-256').digest(csv.bytes).encodeHex().toString()
assert log.contains("paddy:upload:   sha-256:     ${sha}")
assert log.contains("paddy:upload:   credentials: user 'it-user' with the API key from the environment variables KAGGLE_USERNAME and KAGGLE_KEY")
assert log.contains('paddy:upload: Maven runs offline (-o), so nothing is sent to Kaggle; run the build without -o to submit submission.csv, or add -Dpaddy.dryRun to see what would be sent')
return true
