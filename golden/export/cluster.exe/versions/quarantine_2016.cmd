export refused: cluster EXCLUSTER runs Windows Server 2016, which has no cluster.exe (removed in Windows Server 2016); export it with --to powershell
