# Screen blanking: the black screen's accessible label (a touch only wakes it).
screen-wake = Touch to wake the screen
