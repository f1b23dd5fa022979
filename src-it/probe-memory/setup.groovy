import java.nio.file.Files
import java.nio.file.StandardCopyOption

// The tiny data set is shared by several ITs (src-it/tiny-data, passed as the script variable itData
// by paddy-maven-plugin/pom.xml): this build gets its own copy in data/, where paddy.yaml expects it.
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
