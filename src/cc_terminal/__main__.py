from cc_terminal.cli import main

main()
