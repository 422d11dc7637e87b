from cc_terminal.launch import main

main()
