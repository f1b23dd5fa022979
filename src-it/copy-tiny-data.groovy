import java.nio.file.Files
import java.nio.file.StandardCopyOption

// Gives the calling IT its own copy of the shared tiny data set (src-it/tiny-data, passed as the
// script variable itData by paddy-maven-plugin/pom.xml) in data/, where its paddy.yaml expects it.
// Each IT's setup.groovy evaluates this script, so the copying is written once.
def source = new File(itData).toPath()
def target = new File(basedir, 'data').toPath()
Files.walk(source).withCloseable { paths ->
    paths.each { from ->
        def to = target.resolve(source.relativize(from).toString())
        if (Files.isDirectory(from)) {
            Files.createDirectories(to)
        } else {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING)
        }
    }
}
return true
