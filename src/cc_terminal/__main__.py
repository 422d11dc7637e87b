from cc_terminal.cli.launch import main

main()
