// The IT's repository outlives a build (target/local-repo): what an earlier run installed of the new
// project goes, so the install of this run is all that verify.groovy finds there.
new File(localRepositoryPath, 'org/example/my-experiment').deleteDir()
return true
