// This build's own copy of the shared tiny data set, in data/.
return evaluate(new File(itData, '../copy-tiny-data.groovy'))
