import com.sun.net.httpserver.HttpHandler
import com.sun.net.httpserver.HttpServer

evaluate(new File(itData, '../copy-tiny-data.groovy'))

// 'team': a repository manager that refuses every request with 401 and asks for Basic credentials,
// played in the invoker's JVM (verify.groovy stops it). Each request's Authorization header is
// appended to team-requests.txt, so verify.groovy sees the credentials were sent and refused.
def requests = new File(basedir, 'team-requests.txt')
requests.text = ''
def server = HttpServer.create(new InetSocketAddress(InetAddress.loopbackAddress, 0), 0)
server.createContext('/', { exchange ->
    try {
        synchronized (requests) {
            requests << "${exchange.requestMethod} ${exchange.requestURI.path} ${exchange.requestHeaders.getFirst('Authorization') ?: '-'}\n"
        }
        exchange.requestBody.bytes
        exchange.responseHeaders.set('WWW-Authenticate', 'Basic realm="team"')
        exchange.sendResponseHeaders(401, -1)
    } finally {
        exchange.close()
    }
} as HttpHandler)
server.start()
context.put('team', server)

// 'gone': a port that was just free, so nothing listens on it.
def socket = new ServerSocket(0, 1, InetAddress.loopbackAddress)
int closed = socket.localPort
socket.close()

new File(basedir, 'repositories.properties').text =
        "team.url=http://127.0.0.1:${server.address.port}/repository/team\ngone.url=http://127.0.0.1:${closed}/repository/gone\n"
return true
