import com.sun.net.httpserver.HttpHandler
import com.sun.net.httpserver.HttpServer
import java.util.concurrent.atomic.AtomicInteger

// This build's own copy of the shared tiny data set, in data/.
evaluate(new File(itData, '../copy-tiny-data.groovy'))

// The members must train here, so that the default message carries their error rates. 'mvn deploy'
// runs install, which puts the members' predictions into the ITs' repository: a later run of this IT
// would resolve them from there instead, and a member resolved from a repository has no training.json.
new File(localRepositoryPath, 'dev/paddy/it/upload').deleteDir()

// Kaggle's submission API, played in this JVM (the invoker's: it outlives the build it forks).
// Each request is recorded under kaggle-requests/ (n.properties: method, path, Authorization;
// n.body: the bytes) for verify.groovy, which also stops the server (handed over in 'context').
def requests = new File(basedir, 'kaggle-requests')
requests.mkdirs()
def server = HttpServer.create(new InetSocketAddress(InetAddress.loopbackAddress, 0), 0)
def base = "http://127.0.0.1:${server.address.port}"
def count = new AtomicInteger()
server.createContext('/', { exchange ->
    try {
        int n = count.incrementAndGet()
        new File(requests, "${n}.body").bytes = exchange.requestBody.bytes
        def recorded = new Properties()
        recorded.method = exchange.requestMethod
        recorded.path = exchange.requestURI.path
        recorded.authorization = exchange.requestHeaders.getFirst('Authorization') ?: ''
        new File(requests, "${n}.properties").withOutputStream { recorded.store(it, null) }
        String answer
        switch ("${exchange.requestMethod} ${exchange.requestURI.path}".toString()) {
            case 'POST /v1/competitions.CompetitionApiService/StartSubmissionUpload':
                answer = """{"token": "it-blob-token", "createUrl": "${base}/storage/it-blob-token?sig=x"}"""
                break
            case 'PUT /storage/it-blob-token':
                answer = ''
                break
            case 'POST /v1/competitions.CompetitionApiService/CreateSubmission':
                answer = '{"message": "Successfully submitted to Paddy Doctor: Paddy Disease Classification", "ref": 31337}'
                break
            case 'POST /v1/competitions.CompetitionApiService/ListSubmissions':
                answer = '{"submissions": [{"ref": 31337, "status": "COMPLETE", "publicScore": "0.41250"}]}'
                break
            default:
                exchange.sendResponseHeaders(404, -1)
                return
        }
        byte[] bytes = answer.getBytes('UTF-8')
        exchange.responseHeaders.set('Content-Type', 'application/json')
        exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length)
        if (bytes.length > 0) {
            exchange.responseBody.write(bytes)
        }
    } finally {
        exchange.close()
    }
} as HttpHandler)
server.start()
context.put('kaggle', server)

// The company's proxy, named in settings.xml (proxy-settings.xml, merged with the ITs' settings):
// it refuses a request without its credentials (407), records each request it forwards in proxy-requests.txt
// (method, the whole address, its Proxy-Authorization) and passes it to the fake Kaggle.
def proxied = new File(basedir, 'proxy-requests.txt')
proxied.text = ''
def expected = 'Basic ' + 'proxy-user:proxy-pass'.bytes.encodeBase64().toString()
def proxy = HttpServer.create(new InetSocketAddress(InetAddress.loopbackAddress, 0), 0)
proxy.createContext('/', { exchange ->
    try {
        byte[] body = exchange.requestBody.bytes
        String authorization = exchange.requestHeaders.getFirst('Proxy-Authorization')
        if (authorization != expected) {
            exchange.responseHeaders.set('Proxy-Authenticate', 'Basic realm="proxy"')
            exchange.sendResponseHeaders(407, -1)
            return
        }
        synchronized (proxied) {
            proxied << "${exchange.requestMethod} ${exchange.requestURI} ${authorization}\n"
        }
        def connection = (HttpURLConnection) exchange.requestURI.toURL().openConnection(Proxy.NO_PROXY)
        connection.requestMethod = exchange.requestMethod
        ['Authorization', 'Content-Type', 'Accept'].each { name ->
            def value = exchange.requestHeaders.getFirst(name)
            if (value != null) {
                connection.setRequestProperty(name, value)
            }
        }
        if (body.length > 0) {
            connection.doOutput = true
            connection.outputStream.withStream { it.write(body) }
        }
        int status = connection.responseCode
        byte[] answer = (status < 400 ? connection.inputStream : connection.errorStream)?.bytes ?: new byte[0]
        exchange.responseHeaders.set('Content-Type', 'application/json')
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length)
        if (answer.length > 0) {
            exchange.responseBody.write(answer)
        }
    } finally {
        exchange.close()
    }
} as HttpHandler)
proxy.start()
context.put('proxy', proxy)
new File(basedir, 'proxy-settings.xml').text = """<settings>
  <proxies>
    <proxy>
      <id>corp</id>
      <active>true</active>
      <protocol>http</protocol>
      <host>127.0.0.1</host>
      <port>${proxy.address.port}</port>
      <username>proxy-user</username>
      <password>proxy-pass</password>
      <!-- What the builds resolve from Maven Central goes direct: this proxy forwards plain http only. -->
      <nonProxyHosts>repo.maven.apache.org|repo1.maven.org</nonProxyHosts>
    </proxy>
  </proxies>
</settings>
"""
new File(basedir, 'kaggle.properties').text = "paddy.kaggle.url=${base}\npaddy.kaggle.pollSeconds=0.1\n"
return true
