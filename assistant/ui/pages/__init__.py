"""The app's pages, one file each: run as a script by st.navigation and by AppTest.from_file."""
