// Runs DynamoDB Local listening on 127.0.0.1 only, for the test suite.
// The jar has no bind-address option: its Jetty server listens on every interface. This launcher
// builds the server exactly as the jar's own main does (same command-line options), then sets the
// connector's host to the loopback address before starting it.
// Run as a single-file source program (Java 11+, needs the JDK's jdk.compiler module):
//   java -Djava.library.path=<lib> -cp "<jar>:<lib>/*" LoopbackDynamoDBLocal.java -inMemory -port <port>

import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDBLocal {
    public static void main(String[] args) throws Exception {
        DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server jetty = (Server) field.get(proxy);
        for (Connector connector : jetty.getConnectors()) {
            ((ServerConnector) connector).setHost("127.0.0.1");
        }
        proxy.start();
        System.out.println("DynamoDB Local listening on 127.0.0.1");
    }
}
