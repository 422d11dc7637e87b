"""One module per screen; dialogs are typed ModalScreens that dismiss with their answer."""
